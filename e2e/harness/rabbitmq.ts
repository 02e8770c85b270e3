/**
 * A private RabbitMQ node on loopback: its own epmd (foreground, so it stays
 * in a supervised process group instead of daemonising), node name, ports,
 * mnesia and log directories, no plugins.
 */
import * as fs from "fs";
import * as path from "path";
import { requireCommand, rabbitmqServer } from "./paths";
import { canConnect } from "./ports";
import { ManagedProcess, Supervisor, waitFor, waitForLog } from "./supervisor";

export interface RabbitPorts {
  readonly amqp: number;
  readonly dist: number;
  readonly epmd: number;
}

export interface Rabbit {
  readonly url: string;
  readonly processes: readonly ManagedProcess[];
}

export async function startRabbitMq(supervisor: Supervisor, dir: string, ports: RabbitPorts): Promise<Rabbit> {
  const epmdBin = requireCommand("epmd", "rabbitmq-server");
  const server = rabbitmqServer();
  for (const sub of ["mnesia", "log", "home"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const configFile = path.join(dir, "rabbitmq.conf");
  fs.writeFileSync(configFile, `listeners.tcp.1 = 127.0.0.1:${ports.amqp}\n`);
  const pluginsFile = path.join(dir, "enabled_plugins");
  fs.writeFileSync(pluginsFile, "[].\n");
  const envFile = path.join(dir, "rabbitmq-env.conf");
  fs.writeFileSync(envFile, "# empty: ignore /etc/rabbitmq/rabbitmq-env.conf\n");

  const erlEnv = { ERL_EPMD_ADDRESS: "127.0.0.1", ERL_EPMD_PORT: String(ports.epmd), HOME: path.join(dir, "home") };
  const epmd = supervisor.start({ name: "epmd", command: epmdBin, args: ["-address", "127.0.0.1", "-port", String(ports.epmd)], env: erlEnv });
  await waitFor("epmd", () => canConnect(ports.epmd), { timeoutMs: 10_000, process: epmd });

  const rabbit = supervisor.start({
    name: "rabbitmq",
    command: server,
    args: [],
    cwd: dir,
    env: {
      ...erlEnv,
      RABBITMQ_CONF_ENV_FILE: envFile,
      RABBITMQ_NODENAME: `rabbit-e2e-${ports.amqp}@localhost`,
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(ports.amqp),
      RABBITMQ_DIST_PORT: String(ports.dist),
      // Distribution listener on loopback too (it binds every interface by default).
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
      RABBITMQ_MNESIA_BASE: path.join(dir, "mnesia"),
      RABBITMQ_LOG_BASE: path.join(dir, "log"),
      RABBITMQ_LOGS: "-",
      RABBITMQ_CONFIG_FILE: configFile,
      RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
      // Never start a (daemonising, unsupervised) epmd: if ours is gone, for example when a
      // failed start is being torn down, RabbitMQ must fail instead.
      ERL_FLAGS: "-start_epmd false",
    },
  });
  await waitForLog(rabbit, /Server startup complete/, 90_000);
  await waitFor("rabbitmq AMQP port", () => canConnect(ports.amqp), { timeoutMs: 10_000, process: rabbit });
  return { url: `amqp://guest:guest@127.0.0.1:${ports.amqp}`, processes: [epmd, rabbit] };
}
