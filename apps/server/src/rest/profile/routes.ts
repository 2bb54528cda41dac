import type { RestRoute } from '../route.js';
import { accountRoutes } from './account-routes.js';
import { profileAuthRoutes } from './auth-routes.js';
import { historyExportRoutes } from './history-export.routes.js';
import { profileRoutes } from './profile-routes.js';

/** Every route of the profile dialect (seeds/002), in the order the OpenAPI document lists them. */
export const profileDialectRoutes: readonly RestRoute[] = [
  ...profileRoutes,
  ...accountRoutes,
  ...historyExportRoutes,
  ...profileAuthRoutes,
];
