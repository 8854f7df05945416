// A Crawlee quick-start crawler, as it would run anywhere: it pushes its items to the default dataset and knows
// nothing of Scrapy Cloud. Under shub-entrypoint they become the job's items, and its statistics the job's stats.
// Run: node main.js --url=https://crawlee.dev --max-pages=20
import { CheerioCrawler, Dataset } from '@crawlee/cheerio';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'https://crawlee.dev' }, 'max-pages': { type: 'string', default: '20' } } });

const crawler = new CheerioCrawler({
  maxRequestsPerCrawl: Number(values['max-pages']),
  async requestHandler({ request, $, enqueueLinks, log }) {
    const title = $('title').text();
    log.info(`${title}`, { url: request.loadedUrl });
    await Dataset.pushData({ url: request.loadedUrl, title });
    await enqueueLinks();
  },
});

await crawler.run([values.url]);
