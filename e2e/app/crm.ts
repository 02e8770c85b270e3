/**
 * CRM API: receives the order from the Shop API and publishes it to RabbitMQ
 * on a confirm channel (publisher confirms, docs/instrumentation.md section
 * 2): the publish span ends when the broker's confirm arrives, OK on ack and
 * ERROR on nack (R2's "RabbitMQ received the message").
 */
import * as amqp from "amqplib";
import { trace } from "@opentelemetry/api";
import { env, OrderMessage, QUEUES } from "./env";
import { serve } from "./web";

export async function start(): Promise<() => Promise<void>> {
  const connection = await amqp.connect(env("AMQP_URL"));
  const channel = await connection.createConfirmChannel();
  await channel.assertQueue(QUEUES.orders, { durable: true });
  await channel.assertQueue(QUEUES.delayed, { durable: true, arguments: { "x-dead-letter-exchange": "", "x-dead-letter-routing-key": QUEUES.orders } });
  await channel.assertQueue(QUEUES.rejecting, { durable: true, arguments: { "x-max-length": 0, "x-overflow": "reject-publish" } });

  const publish = (queue: string, message: OrderMessage, expirationMs?: number) =>
    new Promise<boolean>((resolve) => {
      channel.publish("", queue, Buffer.from(JSON.stringify(message)), {
        persistent: true,
        contentType: "application/json",
        messageId: message.orderId,
        ...(expirationMs ? { expiration: String(expirationMs) } : {}),
      }, (err) => resolve(!err));
    });

  const server = await serve(Number(env("PORT")), [
    { method: "GET", route: "/health", handler: async () => ({ status: 200, body: { status: "ok" } }) },
    {
      method: "POST",
      route: "/customers/orders",
      handler: async (req) => {
        const message = req.body as OrderMessage;
        // Careless on purpose (R12 test): a handled error whose message names the customer; the gateway blanks exception messages.
        trace.getActiveSpan()?.recordException(new Error(`loyalty lookup failed for ${message.name} <${message.email}> ${message.phone}`));
        const queue = message.simulateNack ? QUEUES.rejecting : message.consumerDelayMs ? QUEUES.delayed : QUEUES.orders;
        const acked = await publish(queue, message, message.consumerDelayMs);
        return acked ? { status: 202, body: { queued: queue } } : { status: 503, body: { error: "broker refused the message" } };
      },
    },
  ]);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await connection.close().catch(() => undefined);
  };
}
