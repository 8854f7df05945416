// A tiny crawler that knows nothing about Scrapy Cloud: it prints logs, items as JSON lines, and a traceback.
const books = [
  { title: 'Война и мир', author: 'Лев Толстой', price: 12.5 },
  { title: 'Cien años de soledad', author: 'Gabriel García Márquez', price: 9.99 },
  { title: '三体', author: '刘慈欣', price: 15 },
];

console.log('Crawling the catalogue');
for (const book of books) console.log(JSON.stringify(book));
console.error('Error: one page could not be parsed\n    at parse (books.mjs:10:11)\n    at crawl (books.mjs:20:5)');
console.log(`Done: ${books.length} books`);
