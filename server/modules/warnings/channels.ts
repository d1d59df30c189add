/** The channels a warning's notifications go out on; each returns its outcome in words (recorded per delivery). */
import type { Channel } from '../../../contracts/warnings.ts';
import type { Message, Sender } from './escalation.ts';

const TIMEOUT_MS = 10_000;

export interface ChannelConfig {
  smtpUrl: string | undefined;
  smtpFrom: string;
  smsGatewayUrl: string | undefined;
  smsGatewayToken: string | undefined;
  /** publishes on the broker Anlan uses (embedded or external); undefined when none is running */
  mqttPublish: () => ((topic: string, payload: string) => Promise<void>) | undefined;
}

function payloadOf(m: Message) {
  const w = m.warning;
  return {
    id: w.id,
    number: w.number,
    hazardCode: w.hazard_code,
    colour: w.colour,
    status: w.status,
    title: w.title,
    titleEn: w.title_en,
    district: w.district_code,
    deviceId: w.device_id,
    raisedAt: w.raised_at.toISOString(),
    link: m.link,
    subject: m.subject,
  };
}

async function post(url: string, body: unknown, token?: string): Promise<{ ok: boolean; detail: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = (await res.text()).slice(0, 200);
  return { ok: res.ok, detail: `HTTP ${res.status}${text ? ` ${text}` : ''}` };
}

export function channelSenders(cfg: ChannelConfig): Record<Channel, Sender> {
  let mailer: Promise<{ sendMail(o: object): Promise<{ response?: string }> }> | undefined;
  const getMailer = () => {
    mailer ??= import('nodemailer').then((nm) => nm.createTransport(cfg.smtpUrl as string));
    return mailer;
  };
  return {
    async in_app(c) {
      // the warning's alarm reaches every user whose scope covers it (tray, banner, sound): this records who was meant
      return { recipient: c.user ?? c.unit ?? '', ok: true, detail: 'alarm in the app' };
    },
    async email(c, m) {
      const to = c.email as string;
      if (!cfg.smtpUrl) return { recipient: to, ok: false, detail: 'SMTP_URL is not set' };
      try {
        const info = await (await getMailer()).sendMail({ from: cfg.smtpFrom, to, subject: m.subject, text: m.text });
        return { recipient: to, ok: true, detail: info.response ?? 'accepted' };
      } catch (err) {
        return { recipient: to, ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async webhook(c, m) {
      const url = c.webhookUrl as string;
      try {
        return { recipient: url, ...(await post(url, payloadOf(m))) };
      } catch (err) {
        return { recipient: url, ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async mqtt(c, m) {
      const topic = c.mqttTopic as string;
      const pub = cfg.mqttPublish();
      if (!pub) return { recipient: topic, ok: false, detail: 'no MQTT broker is running' };
      try {
        await pub(topic, JSON.stringify(payloadOf(m)));
        return { recipient: topic, ok: true, detail: 'published (QoS 1)' };
      } catch (err) {
        return { recipient: topic, ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    async sms(c, m) {
      const to = c.phone as string;
      if (!cfg.smsGatewayUrl) return { recipient: to, ok: false, detail: 'SMS_GATEWAY_URL is not set' };
      try {
        return { recipient: to, ...(await post(cfg.smsGatewayUrl, { to, text: m.subject }, cfg.smsGatewayToken)) };
      } catch (err) {
        return { recipient: to, ok: false, detail: err instanceof Error ? err.message : String(err) };
      }
    },
  };
}
