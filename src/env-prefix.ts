// The prefix of the wrapper's own environment variables (its settings, settings.ts; its code cache's mode,
// launch/code-cache-file.ts). Not SHUB_: Scrapy Cloud reserves those names and replaces them at job start.
export const ENV_PREFIX = 'SHUBENTRYPOINT_';
