/**
 * The public warnings page (no login): the published warnings as their CAP messages say them, in Chinese or English,
 * one self-contained HTML page (no scripts, no fonts or styles from elsewhere), refreshed every minute by the browser.
 */
import { COLOUR_INFO } from '../../../contracts/monitoring.ts';
import { colourOfSeverity, infoFor } from './cap/cap-map.ts';
import { readCap } from './cap/cap-read.ts';
import { capInstant } from './cap/cap-types.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const T = {
  zh: {
    title: '威海市预警信息发布',
    none: '当前没有发布中的预警。',
    sent: '发布时间',
    expires: '有效至',
    area: '区域',
    from: '发布单位',
    cancelled: '已解除',
    feed: 'CAP 订阅（Atom）',
    other: 'English',
    note: '本页列出经审核签发的预警（CAP 1.2）。气象灾害预警信号以气象部门发布为准。',
  },
  en: {
    title: 'Weihai public warnings',
    none: 'No warning is in force.',
    sent: 'Issued',
    expires: 'Expires',
    area: 'Area',
    from: 'Issued by',
    cancelled: 'Lifted',
    feed: 'CAP feed (Atom)',
    other: '中文',
    note: 'Warnings approved for publication (CAP 1.2). Weather warning signals are those of the meteorological service.',
  },
};

export function publicPage(
  messages: { identifier: string; msgType: string; sent: Date; xml: string }[],
  lang: 'zh' | 'en',
): string {
  const t = T[lang];
  const fmt = (d: Date) =>
    d.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false }) +
    (lang === 'en' ? ' (Beijing time)' : '');
  const cards = messages
    .map((m) => {
      let alert: ReturnType<typeof readCap>['alerts'][number] | undefined;
      try {
        alert = readCap(Buffer.from(m.xml)).alerts[0];
      } catch {
        return '';
      }
      const info = alert ? infoFor(alert, lang) : undefined;
      if (!alert || !info) return '';
      const colour = colourOfSeverity(info.severity) ?? 'blue';
      const c = COLOUR_INFO[colour];
      const cancelled = m.msgType === 'Cancel';
      return `<article class="card${cancelled ? ' off' : ''}" style="border-color:${c.color}">
  <h2><span class="dot" style="background:${c.color}"></span>${esc(info.headline ?? info.event)}${cancelled ? ` <em>${t.cancelled}</em>` : ''}</h2>
  <p class="meta">${t.sent}: ${esc(fmt(capInstant(alert.sent)))}${info.expires ? ` · ${t.expires}: ${esc(fmt(capInstant(info.expires)))}` : ''}</p>
  <p class="meta">${t.area}: ${esc(info.areas.map((a) => a.areaDesc).join('、'))} · ${t.from}: ${esc(info.senderName ?? alert.sender)}</p>
  ${info.description ? `<p>${esc(info.description)}</p>` : ''}
  ${info.instruction ? `<p class="ins">${esc(info.instruction)}</p>` : ''}
  <p class="meta"><a href="/public/cap/alerts/${encodeURIComponent(m.identifier)}.xml">CAP XML</a></p>
</article>`;
    })
    .filter(Boolean)
    .join('\n');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60">
<title>${t.title}</title>
<link rel="alternate" type="application/atom+xml" href="/public/cap/feed.atom">
<style>
body{font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f5;color:#222}
header{background:#1f3a5f;color:#fff;padding:16px 24px;display:flex;justify-content:space-between;align-items:center}
header h1{font-size:20px;margin:0}header a{color:#fff}
main{max-width:860px;margin:16px auto;padding:0 16px}
.card{background:#fff;border-left:8px solid;border-radius:6px;padding:12px 16px;margin:12px 0;box-shadow:0 1px 3px #0002}
.card.off{opacity:.6}.card h2{font-size:18px;margin:4px 0 8px}.dot{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:8px}
.meta{color:#555;font-size:13px;margin:4px 0}.ins{background:#fffbe6;padding:8px;border-radius:4px}
footer{max-width:860px;margin:24px auto;padding:0 16px;color:#666;font-size:12px}
</style></head>
<body><header><h1>${t.title}</h1><nav><a href="?lang=${lang === 'zh' ? 'en' : 'zh'}">${t.other}</a> · <a href="/public/cap/feed.atom">${t.feed}</a></nav></header>
<main>${cards || `<p>${t.none}</p>`}</main>
<footer>${t.note}</footer></body></html>`;
}
