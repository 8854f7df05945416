"""The same crawler in Python, sending a stat and its outcome in the protocol with plain print()."""
import json

print("Crawling the catalogue")
for title, price in [("Война и мир", 12.5), ("Cien años de soledad", 9.99)]:
    print(json.dumps({"title": title, "price": price}, ensure_ascii=False))
print('STA {"stats": {"pages_seen": 2}}')
print('FIN {"outcome": "finished"}')
