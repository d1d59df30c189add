/** The escalation policy form's values and the API's policy, both ways (empty fields left out of what is sent). */
import type { Colour } from '../../../../contracts/monitoring.ts';
import type { Channel, Contact, Policy, PolicyInput } from '../../../../contracts/warnings.ts';

export interface ContactValues {
  who: 'user' | 'unit' | 'address';
  user?: string;
  unit?: string;
  channels: Channel[];
  email?: string;
  phone?: string;
  webhookUrl?: string;
  mqttTopic?: string;
}
export interface PolicyValues {
  name: string;
  hazardCodes: string[];
  districts: string[];
  minColour: Colour;
  steps: { afterMinutes: number; contacts: ContactValues[] }[];
  enabled: boolean;
}

export const newContact = (): ContactValues => ({ who: 'user', channels: ['in_app'] });

export function policyValues(p?: Policy): PolicyValues {
  if (!p)
    return {
      name: '',
      hazardCodes: [],
      districts: [],
      minColour: 'blue',
      steps: [{ afterMinutes: 0, contacts: [newContact()] }],
      enabled: true,
    };
  return {
    name: p.name,
    hazardCodes: [...p.hazardCodes],
    districts: [...p.districts],
    minColour: p.minColour,
    enabled: p.enabled,
    steps: p.steps.map((s) => ({
      afterMinutes: s.afterMinutes,
      contacts: s.contacts.map((c) => ({
        who: c.user ? 'user' : c.unit ? 'unit' : 'address',
        user: c.user,
        unit: c.unit,
        channels: [...c.channels],
        email: c.email,
        phone: c.phone,
        webhookUrl: c.webhookUrl,
        mqttTopic: c.mqttTopic,
      })),
    })),
  };
}

/** An address is sent only with its channel (an email address without the email channel would never be used). */
export function toContact(c: ContactValues): Contact {
  const has = (ch: Channel) => c.channels.includes(ch);
  const text = (v?: string) => (v?.trim() ? v.trim() : undefined);
  const out: Contact = { channels: [...c.channels] };
  if (c.who === 'user' && text(c.user)) out.user = text(c.user);
  if (c.who === 'unit' && text(c.unit)) out.unit = text(c.unit);
  if (has('email') && text(c.email)) out.email = text(c.email);
  if (has('sms') && text(c.phone)) out.phone = text(c.phone);
  if (has('webhook') && text(c.webhookUrl)) out.webhookUrl = text(c.webhookUrl);
  if (has('mqtt') && text(c.mqttTopic)) out.mqttTopic = text(c.mqttTopic);
  return out;
}

export function toPolicyInput(v: PolicyValues): PolicyInput {
  return {
    name: v.name.trim(),
    hazardCodes: v.hazardCodes ?? [],
    districts: v.districts ?? [],
    minColour: v.minColour,
    steps: v.steps.map((s) => ({ afterMinutes: Number(s.afterMinutes) || 0, contacts: s.contacts.map(toContact) })),
    enabled: v.enabled,
  };
}
