#!/bin/sh
# The same crawler in shell: echo is enough.
echo "Crawling the catalogue"
echo '{"title": "Cien años de soledad", "price": 9.99}'
echo 'LOG {"level": 30, "message": "prices are in EUR"}'
