"""GET /metrics: Prometheus's text format, for the configured addresses or the token only."""

from flask import Blueprint, Response, current_app

from app.common.CommonErrors import ApiError
from app.common.CommonMetrics import METRICS_CONTENT_TYPE, scrape_allowed, scrape_text

# Outside /api: a scraper's path, not part of the JSON API (nor of its OpenAPI document).
metrics_blueprint = Blueprint('metrics', __name__)


@metrics_blueprint.get('/metrics')
def get_metrics():
  """Every worker's request counts, latency histograms and pool use; 403 for strangers."""
  if not current_app.config['METRICS_ENABLED']:
    raise ApiError(404)
  if not scrape_allowed():
    raise ApiError(403, message='Metrics are for the monitoring addresses or the token only.')
  return Response(scrape_text(), content_type=METRICS_CONTENT_TYPE)
