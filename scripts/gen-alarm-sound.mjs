#!/usr/bin/env node
/**
 * Writes the alarm's two sounds, deterministically (the same bytes on every run), as small WAV files the web serves
 * itself (nothing is fetched from elsewhere): `node scripts/gen-alarm-sound.mjs`.
 * - alarm-urgent.wav (levels I–II): a two-tone alternating signal, 960 / 770 Hz, repeated by the page until acknowledged;
 * - alarm-soft.wav (levels III–IV): a short falling two-note chime, played once.
 * 8 kHz mono 16-bit PCM: the tones lie far below the Nyquist limit and the files stay a few tens of KB.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RATE = 8000;
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'sounds');

/** A tone of `seconds` at `hz`, shaped by `envelope(t, seconds)` (0…1), as samples in −1…1. */
function tone(hz, seconds, envelope) {
  const n = Math.round(RATE * seconds);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    // a touch of the octave makes a small loudspeaker carry it better
    const s = Math.sin(2 * Math.PI * hz * t) * 0.8 + Math.sin(4 * Math.PI * hz * t) * 0.2;
    out[i] = s * envelope(t, seconds);
  }
  return out;
}

const silence = (seconds) => new Float64Array(Math.round(RATE * seconds));

/** 10 ms ramps at both ends: no clicks. */
const flat = (t, d) => Math.min(1, t / 0.01, (d - t) / 0.01);
/** a struck chime: quick attack, exponential decay */
const chime = (t, d) => Math.min(1, t / 0.005, (d - t) / 0.01) * Math.exp(-4 * t);

function concat(parts) {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function wav(samples, gain) {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, samples[i] * gain)) * 32767), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16); // PCM header size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(RATE, 24);
  h.writeUInt32LE(RATE * 2, 28); // bytes per second
  h.writeUInt16LE(2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const hi = () => tone(960, 0.22, flat);
const lo = () => tone(770, 0.22, flat);
const urgent = concat([hi(), lo(), hi(), lo(), hi(), lo(), silence(0.3)]);
const soft = concat([tone(880, 0.35, chime), tone(660, 0.6, chime)]);

mkdirSync(OUT, { recursive: true });
for (const [name, samples, gain] of [
  ['alarm-urgent.wav', urgent, 0.9],
  ['alarm-soft.wav', soft, 0.6],
]) {
  const bytes = wav(samples, gain);
  writeFileSync(join(OUT, name), bytes);
  console.log(`${name}: ${(bytes.length / 1024).toFixed(1)} KB, ${(samples.length / RATE).toFixed(2)} s`);
}
