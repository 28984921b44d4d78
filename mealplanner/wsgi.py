"""WSGI entry point for any WSGI server: `gunicorn mealplanner.wsgi:app`.

With MEALPLANNER_ENV=production the app refuses to load with the development secret key
(config.InsecureConfiguration; gunicorn then stops with "Worker failed to boot"). The schema
and food data are not touched here: run `mealplanner db upgrade` and `mealplanner db seed` first,
or use `mealplanner serve --production`, which does both and runs gunicorn itself.
"""

from mealplanner import create_app
from mealplanner.config import check_production

app = create_app()
check_production(app.config)
