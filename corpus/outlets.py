"""Outlet names for well-known news domains.

A fact-checker cites "The Moscow Times", not "themoscowtimes.com". Pages rarely state their
outlet in a machine-readable way (markdown and plain-text scrapes never do), but they often keep
the article URL, so a small table of major outlets turns the URL's domain into the name a reader
expects. Unknown domains fall back to the registered domain, which is still a usable citation.
"""

from __future__ import annotations

from urllib.parse import urlsplit

OUTLETS: dict[str, str] = {
    "themoscowtimes.com": "The Moscow Times",
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "ap.org": "Associated Press",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "nytimes.com": "The New York Times",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "aljazeera.com": "Al Jazeera",
    "france24.com": "France 24",
    "dw.com": "Deutsche Welle",
    "washingtonpost.com": "The Washington Post",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "politico.com": "Politico",
    "politico.eu": "Politico Europe",
    "bloomberg.com": "Bloomberg",
    "ft.com": "Financial Times",
    "wsj.com": "The Wall Street Journal",
    "afp.com": "AFP",
    "euronews.com": "Euronews",
    "rferl.org": "Radio Free Europe/Radio Liberty",
    "azatutyun.am": "Radio Free Europe/Radio Liberty",
    "interfax.com": "Interfax",
    "interfax.ru": "Interfax",
    "ria.ru": "RIA Novosti",
    "rt.com": "RT",
    "meduza.io": "Meduza",
    "kyivindependent.com": "The Kyiv Independent",
    "dailysabah.com": "Daily Sabah",
    "hurriyetdailynews.com": "Hurriyet Daily News",
    "aa.com.tr": "Anadolu Agency",
    "trtworld.com": "TRT World",
    "armenpress.am": "Armenpress",
    "azernews.az": "AzerNews",
    "eurasianet.org": "Eurasianet",
    "npr.org": "NPR",
    "cbsnews.com": "CBS News",
    "nbcnews.com": "NBC News",
    "abcnews.go.com": "ABC News",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "economist.com": "The Economist",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "thetimes.co.uk": "The Times",
    "lemonde.fr": "Le Monde",
    "spiegel.de": "Der Spiegel",
    "axios.com": "Axios",
    "thehill.com": "The Hill",
    "voanews.com": "Voice of America",
    "news.yahoo.com": "Yahoo News",
}

# Public suffixes with two labels that we meet in news URLs; enough to find the registered
# domain ("bbc.co.uk", "aa.com.tr") without shipping the whole public-suffix list.
_TWO_LABEL_SUFFIXES = frozenset(
    {"co.uk", "org.uk", "ac.uk", "com.tr", "org.tr", "com.au", "co.jp", "co.in", "com.br", "co.za", "go.com"}
)


def host_of(url: str) -> str | None:
    """The lower-cased host of ``url`` without a leading ``www.``; None when it has no host."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def registered_domain(host: str) -> str:
    """``news.bbc.co.uk`` -> ``bbc.co.uk``: the part of a host an organisation registers."""
    labels = host.split(".")
    keep = 3 if ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def outlet_for_url(url: str | None) -> str | None:
    """The outlet name for an article URL: a known outlet's name, else its registered domain."""
    if not url:
        return None
    host = host_of(url)
    if host is None:
        return None
    if host in OUTLETS:
        return OUTLETS[host]
    domain = registered_domain(host)
    return OUTLETS.get(domain, domain)
