export { registerIncidentMap } from './incidents.map.ts';
export { incidentRoutes } from './incidents.routes.ts';
export {
  createIncident,
  formatNumber,
  getIncident,
  type IncidentDeps,
  listIncidents,
  redactIncidentPayload,
  transitionIncident,
  updateIncident,
} from './incidents.service.ts';
export { computeLevel, NATURAL_2016, ORDER_493 } from './level.ts';
