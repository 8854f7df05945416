// A reader that falls behind: reads 64 KiB, pauses 1 ms, and so on; prints "<lines> <bytes>" like `wc -lc`.
import { createReadStream } from 'node:fs';

let lines = 0;
let bytes = 0;
const stream = createReadStream(process.argv[2], { highWaterMark: 64 * 1024 });
stream.on('data', (chunk) => {
  bytes += chunk.length;
  for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
  stream.pause();
  setTimeout(() => stream.resume(), 1);
});
stream.on('end', () => console.log(`${lines} ${bytes}`));
