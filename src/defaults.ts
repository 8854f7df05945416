// Defaults shared by every way of running a job (the command line, start-crawl, check).

// After a forwarded SIGTERM/SIGINT: long enough for a crawler to finish its in-flight requests and close cleanly,
// well inside Scrapy Cloud's 5-minute cancel window, so the wrapper, not the platform, ends it and writes the FIN.
export const DEFAULT_KILL_AFTER_SECONDS = 120;

// The reference sends stats every 30 s.
export const DEFAULT_STATS_INTERVAL_SECONDS = 30;
