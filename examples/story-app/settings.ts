// Where this app's other parts listen, and the secrets it shares with the gateway. The defaults suit a
// laptop; in production each must be set (a published development secret protects nothing).
const production = process.env.NODE_ENV === "production";

function setting(name: string, development: string): string {
  const value = process.env[name];
  if (value) return value;
  if (production) throw new Error(`${name} must be set in production`);
  return development;
}

/** Signs what workers send to the Python handler (Standard Webhooks, `whsec_` + base64). */
export const handlerSecret = setting("HANDLER_SECRET", "whsec_ZGV2ZWxvcG1lbnQtaGFuZGxlci1zZWNyZXQ=");
/** Signs what the gateway sends to webhook-receiver.ts. */
export const webhookSecret = setting("WEBHOOK_SECRET", "whsec_ZGV2ZWxvcG1lbnQtd2ViaG9vay1zZWNyZXQ=");
export const handlerUrl = setting("HANDLER_URL", "http://127.0.0.1:8001/");
export const webhookUrl = setting("WEBHOOK_URL", "http://127.0.0.1:4100/webhooks");
