// Generates the benchmark's inputs once into bench/.data (git-ignored); reused while their size is right.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Recorded output of real programs (test/fixtures/real-output): a Scrapy crawl's log, pino's JSON records, Crawlee's
// coloured text log.
const REAL_OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'real-output');
const REALISTIC = ['scrapy-crawl/stderr.txt', 'scrapy-error/stderr.txt', 'pino/stdout.txt', 'crawlee-text/stdout.txt', 'crawlee-text/stderr.txt'];

const LINES = 1_000_000;

function pad(text, size) {
  return text.length >= size ? text : text + ' ' + 'x'.repeat(size - text.length - 1);
}

function logLine(index) {
  const second = String(index % 60).padStart(2, '0');
  return pad(`2026-11-25 10:00:${second} [scrapy.core.engine] DEBUG: Crawled (200) <GET https://example.com/page/${index}> (referer: None)`, 99);
}

function itemLine(index) {
  const item = `{"url": "https://example.com/product/${index}", "title": "Product ${index}", "price": ${(index % 997) / 10}, "stock": true, "note": ""}`;
  return item.slice(0, -2) + 'n'.repeat(Math.max(0, 99 - item.length)) + '"}';
}

const WORDS = ['Книга', 'café', '三体', 'naïve', 'Ελληνικά', 'العربية', '😀'];

// An item whose title is in another script than Latin, as scraped titles and names often are: every such character
// leaves as `\uXXXX`.
function nonAsciiItemLine(index) {
  const item = `{"url": "https://example.com/product/${index}", "title": "${WORDS[index % WORDS.length]} ${WORDS[(index + 3) % WORDS.length]} ${index}", "price": ${(index % 997) / 10}, "stock": true, "note": ""}`;
  return item.slice(0, -2) + 'n'.repeat(Math.max(0, 99 - Buffer.byteLength(item))) + '"}';
}

function mixedLines(index) {
  switch (index % 10) {
    case 0:
      return ['Traceback (most recent call last):', `  File "/app/spider.py", line ${index % 300}, in parse`, '    price = float(text)',
        `ValueError: could not convert string to float: '${WORDS[index % WORDS.length]}'`];
    case 1:
      return [JSON.stringify({ title: `${WORDS[index % WORDS.length]} ${index}`, author: 'Лев Толстой', price: index % 100 })];
    case 2:
      return [`Exception in thread "main" java.lang.IllegalStateException: ${index}`, '\tat com.example.Crawler.parse(Crawler.java:42)', '\tat com.example.Crawler.run(Crawler.java:17)'];
    default:
      return [pad(`INFO: page ${index} parsed, title «${WORDS[index % WORDS.length]}», ${index % 50} links`, 90)];
  }
}

// What a script prints with plain print(): no timestamp, no level word.
function printLine(index) {
  return pad(`fetched page ${index} of the catalogue: ${index % 50} products, next https://example.com/catalogue/page-${index + 1}.html`, 99);
}

// A JSON log record as pino writes it, one a line (a Node crawler's log): a log message with its level, not an item.
function pinoRecord(index) {
  const level = [30, 30, 30, 20, 40][index % 5];
  return `{"level":${level},"time":${1795607854018 + index},"pid":24216,"hostname":"crawler","msg":"parsed https://example.com/page/${index}"}`;
}

// A progress bar as tqdm draws it (ASCII mode): ten states of one line, each after a `\r`, then the newline.
function progressBar(index) {
  return Array.from({ length: 10 }, (_, step) => {
    const done = (step + 1) * 10;
    return `\rpage ${index}: ${String(done).padStart(3)}%|${'#'.repeat(step + 1).padEnd(10)}| ${done}/100 [00:0${step}<00:0${9 - step}, 9.52it/s]`;
  }).join('');
}

// Python's traceback of an exception raised ten frames deep, as logging.exception writes it after its record.
function traceback(index) {
  return [
    `2026-11-25 10:00:00,123 ERROR spider: failed to parse page ${index}`,
    'Traceback (most recent call last):',
    ...Array.from({ length: 9 }, (_, frame) => `  File "/app/spider/parse.py", line ${frame * 10 + 1}, in parse_level_${frame}\n    return parse_level_${frame + 1}(response)`),
    `ValueError: could not convert string to float: 'page ${index}'`,
  ].join('\n');
}

// A Python dict printed as it is: looks like an object, is not JSON.
function dictRepr(index) {
  return `{'url': 'https://example.com/product/${index}', 'title': 'Product ${index}', 'price': ${(index % 997) / 10}, 'stock': True}`;
}

function build(path, size, write) {
  if (existsSync(path) && statSync(path).size === size) return;
  write();
}

export function generate(directory) {
  mkdirSync(directory, { recursive: true });
  const files = {
    logs: join(directory, 'logs.txt'),
    items: join(directory, 'items.jsonl'),
    nonAsciiItems: join(directory, 'items-non-ascii.jsonl'),
    mixed: join(directory, 'mixed.txt'),
    longLine: join(directory, 'long-line.txt'),
    longNonAscii: join(directory, 'long-non-ascii.txt'),
    realistic: join(directory, 'realistic.txt'),
    dicts: join(directory, 'dicts.txt'),
    records: join(directory, 'records.jsonl'),
    progress: join(directory, 'progress.txt'),
    tracebacks: join(directory, 'tracebacks.txt'),
    prints: join(directory, 'prints.txt'),
  };
  const text = (lines) => lines.join('\n') + '\n';
  const logs = text(Array.from({ length: LINES }, (_, index) => logLine(index)));
  build(files.logs, Buffer.byteLength(logs), () => writeFileSync(files.logs, logs));
  const items = text(Array.from({ length: LINES }, (_, index) => itemLine(index)));
  build(files.items, Buffer.byteLength(items), () => writeFileSync(files.items, items));
  const nonAsciiItems = text(Array.from({ length: LINES }, (_, index) => nonAsciiItemLine(index)));
  build(files.nonAsciiItems, Buffer.byteLength(nonAsciiItems), () => writeFileSync(files.nonAsciiItems, nonAsciiItems));
  const mixed = text(Array.from({ length: LINES / 2 }, (_, index) => mixedLines(index)).flat());
  build(files.mixed, Buffer.byteLength(mixed), () => writeFileSync(files.mixed, mixed));
  const recorded = REALISTIC.map((file) => readFileSync(join(REAL_OUTPUT, file), 'utf8')).join('');
  const realistic = recorded.repeat(Math.ceil(LINES / recorded.split('\n').length));
  build(files.realistic, Buffer.byteLength(realistic), () => writeFileSync(files.realistic, realistic));
  const dicts = text(Array.from({ length: LINES }, (_, index) => dictRepr(index)));
  build(files.dicts, Buffer.byteLength(dicts), () => writeFileSync(files.dicts, dicts));
  const records = text(Array.from({ length: LINES }, (_, index) => pinoRecord(index)));
  build(files.records, Buffer.byteLength(records), () => writeFileSync(files.records, records));
  const progress = text(Array.from({ length: LINES / 10 }, (_, index) => progressBar(index)));
  build(files.progress, Buffer.byteLength(progress), () => writeFileSync(files.progress, progress));
  const tracebacks = text(Array.from({ length: LINES / 20 }, (_, index) => traceback(index)));
  build(files.tracebacks, Buffer.byteLength(tracebacks), () => writeFileSync(files.tracebacks, tracebacks));
  const prints = text(Array.from({ length: LINES }, (_, index) => printLine(index)));
  build(files.prints, Buffer.byteLength(prints), () => writeFileSync(files.prints, prints));
  const longLine = '<div class="product">Product</div>'.repeat(Math.ceil(50_000_000 / 34)).slice(0, 50_000_000);
  build(files.longLine, 50_000_000, () => writeFileSync(files.longLine, longLine));
  // 27 bytes of UTF-8 (two per Cyrillic letter) repeated, then three letters more: 60,000,000 bytes, six out for each
  // letter in once escaped. The worst case for memory.
  const longNonAscii = 'жизнь и судьба '.repeat(2_222_222) + 'жжж';
  build(files.longNonAscii, 60_000_000, () => writeFileSync(files.longNonAscii, longNonAscii));
  return files;
}
