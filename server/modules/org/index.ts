export { orgRoutes } from './org.routes.ts';
export { WEIHAI_UNITS } from './org.seed.ts';
export {
  addUnit,
  createUser,
  ensureAdmin,
  getUser,
  type OrgDeps,
  seedOrganisation,
  setPopulation,
  updateUser,
  userExists,
} from './org.service.ts';
