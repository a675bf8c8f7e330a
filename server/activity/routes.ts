// GET /api/activity?before=CURSOR: the signed-in user's history, newest first, a page at a time.
import { Router } from 'express';
import { activityQuerySchema, type ActivityPage } from '../../shared/account.js';
import { HttpError, requireUser } from '../express/index.js';
import { BadCursorError } from './repo.js';
import type { ActivityRecorder } from './recorder.js';

/**
 * @example app.use('/api', createActivityRoutes({ activity }));
 */
export function createActivityRoutes({ activity }: { activity: Pick<ActivityRecorder, 'page'> }): Router {
  const router = Router();
  router.get('/activity', async (req, res) => {
    const me = requireUser(req, res);
    const query = activityQuerySchema.safeParse(req.query);
    if (!query.success) throw new HttpError(400, 'invalid_input', query.error.issues[0]?.message ?? 'bad query');
    let page: ActivityPage;
    try {
      page = await activity.page(me.id, { before: query.data.before });
    } catch (error) {
      if (error instanceof BadCursorError) throw new HttpError(400, 'invalid_input', error.message);
      throw new HttpError(503, 'unavailable', 'the activity history is unavailable; try again');
    }
    res.json(page);
  });
  return router;
}
