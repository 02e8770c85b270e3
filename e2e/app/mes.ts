/**
 * MES API: consumes orders from RabbitMQ and writes them to the MES database
 * with a parameterised insert, plus one careless query with inline literals
 * (the gateway replaces SQL literals with `?`, R12). Acks after the write.
 */
import * as amqp from "amqplib";
import { Pool } from "pg";
import { env, OrderMessage, QUEUES } from "./env";
import { serve } from "./web";

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

export async function start(): Promise<() => Promise<void>> {
  // PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE come from the environment.
  const pool = new Pool({ max: 4 });
  const connection = await amqp.connect(env("AMQP_URL"));
  const channel = await connection.createChannel();
  await channel.assertQueue(QUEUES.orders, { durable: true });
  await channel.prefetch(16);
  await channel.consume(QUEUES.orders, (msg) => {
    if (!msg) return;
    const order = JSON.parse(msg.content.toString("utf8")) as OrderMessage;
    const write = async () => {
      // The alert checks' failing database: a real error from PostgreSQL (relation does not exist).
      const table = order.simulateDbError ? "orders_unavailable" : "orders";
      await pool.query(`INSERT INTO ${table} (order_id, user_id, items, created_at) VALUES ($1, $2, $3, now())`, [order.orderId, order.userId, JSON.stringify(order.items)]);
      await pool.query(
        `SELECT count(*) FROM customer_contacts WHERE email = ${quote(order.email)} OR phone = ${quote(order.phone)} OR full_name = ${quote(order.name)} OR card_number = ${quote(order.cardNumber)} OR loyalty_points > 1500`,
      );
    };
    write().then(
      () => channel.ack(msg),
      () => channel.nack(msg, false, false),
    );
  });

  const server = await serve(Number(env("PORT")), [{ method: "GET", route: "/health", handler: async () => ({ status: 200, body: { status: "ok" } }) }]);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connection.close().catch(() => undefined);
    await pool.end();
  };
}
