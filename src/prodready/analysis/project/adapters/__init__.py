"""Framework adapters: pure functions `extract(parsed) -> FileFacts` that recognise what a
framework makes of one file — bot handlers, HTTP routes, entry points, hooks, background jobs.

- `aiogram` — aiogram 3 (`Router` / `Dispatcher` observers) and aiogram 2 (`dp.message_handler`,
  `executor`); `ptb` — python-telegram-bot v20+ and v13; `web` — FastAPI, Starlette and
  aiohttp.web; `django` — Django URLconfs, DRF routers and the Django site; `jobs` —
  APScheduler, arq, taskiq, Celery, the PTB job queue and
  `create_task` over a function that loops forever.

Each adapter reads only the file it is given (never imports or runs it) and returns only what
it found. Shared conventions:

- functions are qualified names: `"<module>.<function>"`, `"<module>.<Class>.<method>"`,
  nested defs `"<module>.<outer>.<inner>"`; a function imported into the file has the
  import's qualified name; `self.x` inside a class is `"<module>.<Class>.x"`; anything else
  is the expression as written (e.g. `"services.notify"` on a local object, `"<lambda>"`);
- an object a handler or route is registered on (Handler.router, Route.router,
  EntryPoint.function for an app) is `"<module>.<name>"` for a module-level variable, the
  import's qualified name for an imported one, else its name as written;
- filters and other texts are `ast.unparse` of the expression with whitespace collapsed,
  cut at 80 characters ("…"); keyword filters are written `"name=value"`;
- a path that is not a string literal or a module-level string constant is the expression
  in braces, e.g. `"{settings.webhook_path}"`.
"""
