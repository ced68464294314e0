"""Journalists' own space: accounts, saved searches with email alerts, collections with notes, citations.

models.py       SavedSearch, Collection, CollectionItem, FeedToken (app label `articles`)
roles.py        the «صحفيون» group and how a journalist account is made
access.py       ARCHIVE_REQUIRE_LOGIN: every page needs an account; feeds also open with a per-user token
account_views.py  log in, log out, passwords by email (Django's views, our templates), «حسابي», feed token
searches.py     saving a search and counting what is new in it (writes are plain functions)
alerts.py       `send_due_alerts()`: what `manage.py send_alerts` runs; the email and its unsubscribe link
collections.py  collections: adding, noting, reordering, sharing, and who may see which (404 for the others)
collection_forms.py, collection_views.py, collection_urls.py  their forms and thin pages («ملفاتي», CSV, print)
article_page.py «في ملفاتك» and «أضف إلى ملف» on the article page
citation.py     «انسخ الاستشهاد»: the citation of an article, in Arabic (pure, no Django)
views.py, urls.py  thin shells over the above
"""
