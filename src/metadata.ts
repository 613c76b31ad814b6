/* eslint-disable */
export default async () => {
    const t = {};
    return { "@nestjs/swagger": { "models": [], "controllers": [[import("./infrastructure/health/health.controller.js"), { "HealthController": { "live": { summary: "Liveness: the process can serve. No dependency is checked." }, "ready": { summary: "Readiness: MySQL reachable, migrations applied, not shutting down. Redis down is degraded, not failed.", type: Object } } }], [import("./infrastructure/metrics/metrics.controller.js"), { "MetricsController": { "scrape": { type: String } } }]] } };
};