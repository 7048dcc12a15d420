#!/usr/bin/python3
"""Writes the pages of the httpd benchmark into DIR:

  seed.html    htdocs/working-visit-to-kazakhstan.html as it is (~7 KB)
  200k.html    ~200,000 bytes   } a long text-heavy page built from the
  5m.html      ~5,000,000 bytes }  seed: the seed's <head> (styles, script)
               and site header, then one <article> after another, each with
               a heading, a dateline, the seed article's paragraphs and
               blockquote in a different (seeded, reproducible) order, and a
               list of related links; the site footer at the end.

    gen_pages.py REPO DIR
"""
import os
import random
import re
import sys

PAGES = {"200k.html": 200_000, "5m.html": 5_000_000}
PLACES = ["Astana", "Minsk", "Gomel", "Almaty", "Moscow", "Brest"]
TOPICS = ["Working visit to Kazakhstan", "Talks in Astana", "Trade and economic cooperation",
          "Supreme Eurasian Economic Council", "Joint ventures", "A decade programme"]


def parts(seed):
    """(everything up to <main>, the article's blocks, everything from </main>)."""
    head, rest = seed.split("<main>", 1)
    article = re.search(r"<article>(.*?)</article>", rest, re.S).group(1)
    tail = "  " + rest[rest.index("</main>"):]
    body = article.split("</h1>", 1)[1]
    blocks = re.findall(r"<blockquote>.*?</blockquote>|<p>.*?</p>", body, re.S)
    return head + "<main>\n", blocks, tail


def article(n, blocks):
    rng = random.Random(n)
    order = blocks[:]
    rng.shuffle(order)
    topic, place = TOPICS[n % len(TOPICS)], PLACES[n % len(PLACES)]
    day = 1 + n % 28
    links = "".join(f'\n        <li><a href="/news/{2016 - k % 5}/{(n + k) % 997}/">'
                    f"{TOPICS[(n + k) % len(TOPICS)]}</a></li>" for k in range(1, 4))
    return (f'    <article id="story-{n}">\n'
            f"      <h2>{topic}</h2>\n"
            f'      <p class="dateline"><time datetime="2016-05-{day:02d}">{day} May 2016'
            f"</time>, {place}</p>\n      " + "\n      ".join(order) +
            f'\n      <aside class="related">\n      <h3>Related</h3>\n      <ul>{links}\n'
            "      </ul>\n      </aside>\n    </article>\n")


def long_page(seed, size):
    head, blocks, tail = parts(seed)
    out, n = [head], 0
    total = len(head.encode()) + len(tail.encode())
    while True:
        a = article(n, blocks)
        if total + len(a.encode()) > size:
            break
        out.append(a)
        total += len(a.encode())
        n += 1
    out.append(tail)
    return "".join(out)


def main(repo, outdir):
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(repo, "htdocs", "working-visit-to-kazakhstan.html"),
              encoding="utf-8") as f:
        seed = f.read()
    pages = {"seed.html": seed}
    pages.update((name, long_page(seed, size)) for name, size in PAGES.items())
    for name, text in pages.items():
        with open(os.path.join(outdir, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: gen_pages.py REPO DIR")
    main(sys.argv[1], sys.argv[2])
