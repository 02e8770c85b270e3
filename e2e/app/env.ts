/** Required environment variables of the sample services. */
export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** What POST /orders accepts. The personal fields are what a real checkout sends; they must never reach Tempo (R12). */
export interface OrderRequest {
  readonly email: string;
  readonly phone: string;
  readonly cardNumber: string;
  readonly name: string;
  readonly items: readonly { readonly sku: string; readonly quantity: number }[];
  /** Test hook: let the message wait this long in RabbitMQ before MES consumes it. */
  readonly consumerDelayMs?: number;
  /** Test hook: publish to a queue that refuses every message, so the broker nacks. */
  readonly simulateNack?: boolean;
  /** Test hook: MES writes to a table that does not exist, so the database answers an error. */
  readonly simulateDbError?: boolean;
}

/** The message CRM publishes and MES consumes. */
export interface OrderMessage extends OrderRequest {
  readonly orderId: string;
  readonly userId: string;
}

export const QUEUES = {
  /** MES consumes this one. */
  orders: "orders",
  /** Messages wait here for their per-message TTL, then are dead-lettered to `orders`. */
  delayed: "orders.delayed",
  /** x-max-length 0 with overflow reject-publish: the broker nacks every publish. */
  rejecting: "orders.rejecting",
} as const;
