import { buildTemplate } from './template.ts';

export default async function setup() {
  await buildTemplate();
}
