"""The data of the project model. Frozen, picklable, no behaviour beyond simple queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from prodready.analysis.orm_lookups import Lookup
from prodready.domain.result import PracticeStatus
from prodready.domain.taxonomy import Practice


@dataclass(frozen=True, slots=True, order=True)
class Evidence:
    """Where a fact was seen: a file (relative, posix) and a line (0 when file-level)."""

    path: str
    line: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class Dependency:
    """A declared dependency: normalised name (PEP 503), the version text as written."""

    name: str
    specifier: str
    evidence: Evidence
    pinned_version: str = ""


@dataclass(frozen=True, slots=True)
class StackComponent:
    """A library the project uses, e.g. key "aiogram", label "aiogram 3", major 3."""

    key: str
    label: str
    version: str = ""
    major: int | None = None
    evidence: tuple[Evidence, ...] = ()
    declared: bool = True


@dataclass(frozen=True, slots=True)
class Handler:
    """A bot update handler.

    framework: "aiogram3" | "aiogram2" | "ptb"; update: the update type it receives
    ("message", "callback_query", "pre_checkout_query", "shipping_query", "errors",
    "chat_member", ...); filters: short texts of its filters ("Command(start)",
    "F.successful_payment", "content_types=SUCCESSFUL_PAYMENT", "filters.SUCCESSFUL_PAYMENT");
    kinds: derived labels rules ask for ("successful_payment", "web_app_data", "command");
    commands: the command names it answers, without "/" (("start", "help")); router: the
    router / dispatcher / application it is registered on (see adapters/__init__.py).
    """

    framework: str
    update: str
    function: str
    evidence: Evidence
    filters: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    router: str = ""
    commands: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    """An HTTP route: framework "fastapi" | "starlette" | "aiohttp" | "django" (method "ANY"
    when the view answers every method); receives: "telegram" when
    it feeds Telegram updates to a bot, "payment" for a payment-provider callback, else "";
    router: the app / router object the route is declared on (its include prefix is applied
    elsewhere, if at all)."""

    framework: str
    method: str
    path: str
    function: str
    evidence: Evidence
    receives: str = ""
    dependencies: tuple[str, ...] = ()
    router: str = ""


@dataclass(frozen=True, slots=True)
class EntryPoint:
    """How the service is run: kind "polling" | "webhook" | "web-app" | "worker".

    details holds what rules ask about it, e.g. ("secret_token",) when a webhook is set up
    with a secret token, ("drop_pending_updates",); path: the webhook's URL path when written."""

    kind: str
    framework: str
    evidence: Evidence
    function: str = ""
    details: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True, slots=True)
class Hook:
    """A lifecycle hook: kind "startup" | "shutdown" | "lifespan" | "middleware" |
    "error-handler" | "exception-handler"; on: what it is attached to — the exception class
    of an exception handler, the update type of an aiogram middleware ("update", "message")."""

    kind: str
    framework: str
    function: str
    evidence: Evidence
    on: str = ""

    @property
    def error_named_middleware(self) -> bool:
        """A middleware whose name says it handles errors (`ErrorsMiddleware`,
        `catch_exceptions`): what it catches is not logged by the framework again."""
        name = self.function.rsplit(".", 1)[-1].lower()
        return self.kind == "middleware" and ("error" in name or "exception" in name)


@dataclass(frozen=True, slots=True)
class BackgroundJob:
    """Background work: kind "apscheduler" | "arq" | "taskiq" | "celery" | "ptb-job-queue" |
    "task-loop" (a `create_task` of a function whose body loops forever); details: the
    options given (APScheduler keywords such as "id", "replace_existing", "max_instances"),
    "reference-discarded" for a task whose handle is not kept."""

    kind: str
    function: str
    evidence: Evidence
    schedule: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Column:
    """A column. type: short text as written or inferred ("String(255)", "BigInteger",
    "DateTime(timezone=True)", "Enum(Status)"), "" when unknown; foreign_keys: "table.column"
    targets; default / server_default: the expression as written ("func.now()"; a plain string
    without quotes); python_type: the `Mapped[...]` type the SQL type was inferred from
    ("datetime.datetime", "app.enums.Status"), "" when the type was written explicitly."""

    name: str
    type: str
    evidence: Evidence
    nullable: bool = True
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    foreign_keys: tuple[str, ...] = ()
    default: str = ""
    server_default: str = ""
    enum: bool = False
    python_type: str = ""


@dataclass(frozen=True, slots=True)
class Relationship:
    """An ORM relationship: target is the class as written ("User"); lazy is its loading
    strategy as written ("select" when not given, SQLAlchemy's default); many: True for a
    collection (`Mapped[list[X]]`, `uselist=True`, `secondary=`), False for one object
    (`Mapped[X]`, `uselist=False`), None when the declaration does not say."""

    name: str
    target: str
    lazy: str
    evidence: Evidence
    many: bool | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A table from a declarative model, a Core `Table(...)`, Alembic migrations, or a Django
    model.

    source: "model" | "core" | "migration" | "django" (a `django.db.models.Model` subclass:
    Django's own semantics hold — foreign keys are indexed unless `db_index=False`, column
    types are the field classes as written, "CharField(max_length=20, choices=...)"; its
    migrations are Django's, not in `Schema.migrations`); model: the class's qualified name
    (models only);
    unique_constraints and indexes: the column tuples of constraints and indexes declared apart
    from the columns (a unique index is in both); bases: the model's base classes (qualified)."""

    name: str
    source: str
    evidence: Evidence
    columns: tuple[Column, ...] = ()
    model: str = ""
    unique_constraints: tuple[tuple[str, ...], ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    check_constraints: tuple[str, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    bases: tuple[str, ...] = ()

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def is_indexed(self, name: str) -> bool:
        """True when an index can serve lookups by `name`: the column is indexed, unique or
        the primary key, or leads a declared index, unique or primary-key constraint."""
        column = self.column(name)
        if column is not None and (column.index or column.unique or column.primary_key):
            return True
        return any(c[:1] == (name,) for c in (*self.indexes, *self.unique_constraints))

    def foreign_key_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.foreign_keys)

    def is_unique(self, name: str) -> bool:
        """True when `name` alone is unique: a unique / primary-key column or constraint."""
        column = self.column(name)
        if column is not None and (column.unique or column.primary_key):
            return True
        return (name,) in self.unique_constraints


@dataclass(frozen=True, slots=True)
class SchemaDifference:
    """A difference between the models and the migrations, e.g. a column only in one."""

    table: str
    message: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class ModelBase:
    """A class that shapes tables without being one, resolved across files by the schema merge.

    kind "base": a declarative base, abstract model or mixin — its columns and relationships
    go to the models that inherit it; tablename: its `declared_attr` `__tablename__` as a
    pattern of "{name}", "{lower}", "{snake}" (the class name as is, lower-cased, snake_case);
    type_map: its `type_annotation_map` (python type -> column type). kind "pending": a class
    with columns and no `__tablename__` whose bases are in other files (its table, or the
    table it extends by single-table inheritance, is decided by those bases)."""

    name: str
    kind: str
    evidence: Evidence
    bases: tuple[str, ...] = ()
    columns: tuple[Column, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    tablename: str = ""
    type_map: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class MigrationOp:
    """One operation of a migration's `upgrade()`, in order.

    kind: the Alembic operation ("create_table", "add_column", "drop_column", "alter_column",
    "create_index", "drop_index", "create_unique_constraint", "create_foreign_key",
    "create_check_constraint", "create_primary_key", "drop_constraint", "drop_table",
    "rename_table", "execute"), or "create_all" for `metadata.create_all()` (every model
    table); table: the table it acts on ("" when not written as a literal); name: the column of
    add / drop / alter_column, the index or constraint name, the new name of rename_table;
    columns: what an index or constraint covers (local columns of a foreign key); column: the
    column added; created: the table created; options: the other arguments
    as written, by Alembic's parameter name (("nullable", "False"), ("unique", "True"),
    ("postgresql_concurrently", "True"), ("referent_table", "users"), ("sqltext", "...")), a
    plain string without quotes; context: "batch" (inside `batch_alter_table`), "conditional"
    (under an `if` / `try` / loop), "autocommit_block"."""

    kind: str
    table: str
    evidence: Evidence
    name: str = ""
    columns: tuple[str, ...] = ()
    column: Column | None = None
    created: Table | None = None
    options: tuple[tuple[str, str], ...] = ()
    context: tuple[str, ...] = ()

    def option(self, key: str) -> str | None:
        return next((value for name, value in self.options if name == key), None)


@dataclass(frozen=True, slots=True)
class MigrationRunner:
    """Schema migrations applied by something other than Alembic (whose revisions are
    `Schema.migrations`). tool: "django" (a `migrations/0001_*.py` file), "yoyo", "aerich",
    "piccolo", or "sql-runner" (project code that lists a folder of `.sql` migration files
    and executes them in order); evidence: the migration file or the runner's code."""

    tool: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Migration:
    """An Alembic revision: down_revisions is empty for the first, several for a merge point."""

    revision: str
    down_revisions: tuple[str, ...]
    path: str
    ops: tuple[MigrationOp, ...] = ()


@dataclass(frozen=True, slots=True)
class Schema:
    """The tables (models win; tables only in migrations folded from them), the differences
    between models and migrations, and the migrations in chain order (first to last)."""

    tables: tuple[Table, ...] = ()
    differences: tuple[SchemaDifference, ...] = ()
    migrations: tuple[Migration, ...] = ()

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None)

    def foreign_key_columns(self) -> tuple[tuple[Table, Column], ...]:
        return tuple((t, c) for t in self.tables for c in t.columns if c.foreign_keys)

    def columns_named(self, name: str) -> tuple[tuple[Table, Column], ...]:
        return tuple((t, c) for t in self.tables for c in t.columns if c.name == name)

    def created_in(self, table: str) -> int | None:
        """The position in `migrations` of the first migration that creates `table`."""
        for position, migration in enumerate(self.migrations):
            if any(op.kind == "create_table" and op.table == table for op in migration.ops):
                return position
        return None

    def table_of_model(self, model: str) -> Table | None:
        """The table of a model class by qualified name or bare class name."""
        for table in self.tables:
            if table.model and (table.model == model or table.model.rsplit(".", 1)[-1] == model):
                return table
        return None


@dataclass(frozen=True, slots=True)
class RowSource:
    """The ORM row a function returns: its model as written ("" when unknown) and whether
    the query that loads it locks it (`with_for_update()`)."""

    model: str
    locked: bool


@dataclass(frozen=True, slots=True)
class Returned:
    """One value a function returns — the whole value, or one item of a returned tuple — as
    every `return` builds it: the rows the body itself loads for it (`row`: their model, locked
    when any load locks; None when no `return` loads one here) and the calls whose result is
    given back as is (`calls`, callee names as `FunctionInfo.calls` writes them:
    `return await self.repo.get_by_tg_id(tg_id)`). Recorded only when each `return` is one or
    the other; the call graph decides whether the calls return rows (`CallGraph.build`)."""

    row: RowSource | None
    calls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FunctionInfo:
    """A project function for the call graph.

    name: "<module>.<function>" or "<module>.<Class>.<method>"; calls: what its own body
    calls (nested defs excluded), resolved to qualified names where the imports, `self`, the
    class's attributes or the annotations of parameters and locals tell, else "*.<attr>".
    returned / returned_items: how every `return` builds the whole value / the items of a
    returned tuple (`return user, created`), from rows and calls (file facts, see `Returned`);
    returns_row / returns_rows: the row every `return` gives back (a repository's
    `get_by_user`, a service that returns its result) / the rows at each item of a returned
    tuple (None at an item that is not one) — filled in by the call graph, which follows
    `returned`'s calls through the project, never by `calls.extract`; rewrites_row: the body
    writes a local object's column from its own value (`user.balance -= price`) and commits
    or adds to a session; loads_row: (of
    such a function) its body loads a row itself or through a loader of its own module."""

    name: str
    evidence: Evidence
    is_async: bool
    calls: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()
    returned: Returned | None = None
    returned_items: tuple[Returned | None, ...] = ()
    returns_row: RowSource | None = None
    returns_rows: tuple[RowSource | None, ...] = ()
    rewrites_row: bool = False
    loads_row: bool = False


@dataclass(frozen=True, slots=True)
class ClassInfo:
    """A project class: qualified name, resolved bases, and its attributes' types."""

    name: str
    evidence: Evidence
    bases: tuple[str, ...] = ()
    attribute_types: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Resource:
    """A client or pool the code builds: kind "engine" | "http-client" | "bot" | "redis" |
    "pool" | "session-maker"; constructor: the qualified name of the call; name: the target it
    is kept in, as written ("engine", "self._session"; "" when not kept); function: the
    function that builds it ("" at module level); managed: built by `async with` / `with`
    (the block closes it); reused: what the call builds outlives it — the function returns
    the client (a factory: its callers own it), keeps results in `global`s or is memoized;
    shared: it reuses another client's connections (`Bot(token, session=bot.session)`,
    `Redis(connection_pool=pool)`)."""

    kind: str
    constructor: str
    name: str
    evidence: Evidence
    function: str = ""
    managed: bool = False
    reused: bool = False
    shared: bool = False


@dataclass(frozen=True, slots=True)
class Release:
    """A close, stop or cancel: a call or a callback reference (`engine.dispose`,
    `app.on_cleanup.append(client.close)`), or `async with x:` on a kept object (method
    "async with"). receiver: as written ("bot.session", "self._client"); function: where
    ("" at module level)."""

    receiver: str
    method: str
    evidence: Evidence
    function: str = ""


@dataclass(frozen=True, slots=True)
class LogCall:
    """A log call at warning level or above inside a function: its level ("error",
    "warning", "exception", "critical"), its message as written (shortened), whether its
    arguments name an identifier of the user / update / request (see analysis/logs.py), and
    the `def` line of the function it is in (the call graph's evidence line)."""

    evidence: Evidence
    function_line: int
    level: str
    message: str
    has_context: bool


@dataclass(frozen=True, slots=True)
class LogContext:
    """Code that attaches context to every log line or error event: kind "contextvars"
    (structlog `bind_contextvars`), "bind" (a logger's `bind` / `contextualize` with an
    identifier), "adapter" (`logging.LoggerAdapter`), "record-filter" (a `logging.Filter` that
    sets record fields, `setLogRecordFactory`), "extra" (a log call's `extra={"user_id": ...}`),
    "otel-logging" (OpenTelemetry's LoggingInstrumentor), "error-scope" (sentry `set_user`, or
    `set_tag` / `set_context` with an identifier)."""

    kind: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class TaskSpawn:
    """A background task started with `create_task` / `ensure_future` and kept. kept: where
    its handle goes, as written (`self._task`, `tasks`; then the containers the same name is
    added to); runs: the function it runs, as written ("self._loop", "poll"); function: the
    function that starts it ("" at module level)."""

    kept: tuple[str, ...]
    runs: str
    evidence: Evidence
    function: str = ""


@dataclass(frozen=True, slots=True)
class TaskStop:
    """A task cancelled (`how` "cancel") or awaited ("await": `await task`, `gather(*tasks)`,
    `asyncio.wait(tasks)`). name: the task or container as written ("*" for every task of
    `asyncio.all_tasks()`)."""

    name: str
    how: str
    evidence: Evidence
    function: str = ""


@dataclass(frozen=True, slots=True)
class ModuleImport:
    """An import of a module, not under `if TYPE_CHECKING:`. target: the qualified name it
    binds ("app.db.engine", "sqlalchemy"); deferred: inside a function (runs when it is
    called, so it cannot close an import-time cycle)."""

    target: str
    line: int
    deferred: bool = False


@dataclass(frozen=True, slots=True)
class FunctionSize:
    """How big a function's own body is (nested defs excluded): statements, branches (`if`,
    loops, `except`, `match` cases, conditional expressions), and whether it talks to the
    database itself (`session.execute`, `commit`, `select(...)`). Kept for functions with 3+
    branches or 30+ statements."""

    name: str
    line: int
    statements: int
    branches: int
    database: bool = False


@dataclass(frozen=True, slots=True)
class TypeHints:
    """Type hints of one file's public functions and methods (dunders excluded): how many,
    how many are partly annotated, and the ones with no annotation at all (name, line)."""

    public: int
    partial: int
    untyped: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the adapters found in one file (merged into the ProjectModel).

    instances: module-level objects built from a class (`monitoring_service =
    MonitoringService()`), as (qualified name of the object, the class as resolved), so that
    `monitoring_service.start()` imported elsewhere links to `MonitoringService.start`.

    The lifecycle extractor adds resources, releases, signal_handlers, schema_creations
    (`metadata.create_all` / `generate_schemas` outside migrations) and alembic_stamps
    (`alembic.command.stamp`, called or passed on); the migration-tool extractor adds
    migration_runners (Django, yoyo, aerich, piccolo migrations, a project's own runner of
    `.sql` files); the lookups extractor adds equality_lookups (filters comparing a model's
    column with a value) and referenced_names (every name the file uses outside tests and
    `__main__` blocks); the structure extractor
    adds module_imports, env_reads (`os.getenv`, `os.environ[...]`), type_hints and
    function_sizes."""

    path: str
    module: str
    imports: tuple[str, ...] = ()
    functions: tuple[FunctionInfo, ...] = ()
    module_calls: tuple[str, ...] = ()
    classes: tuple[ClassInfo, ...] = ()
    instances: tuple[tuple[str, str], ...] = ()
    handlers: tuple[Handler, ...] = ()
    routes: tuple[Route, ...] = ()
    entry_points: tuple[EntryPoint, ...] = ()
    hooks: tuple[Hook, ...] = ()
    jobs: tuple[BackgroundJob, ...] = ()
    tables: tuple[Table, ...] = ()
    model_bases: tuple[ModelBase, ...] = ()
    migrations: tuple[Migration, ...] = ()
    resources: tuple[Resource, ...] = ()
    releases: tuple[Release, ...] = ()
    signal_handlers: tuple[Evidence, ...] = ()
    schema_creations: tuple[Evidence, ...] = ()
    alembic_stamps: tuple[Evidence, ...] = ()
    migration_runners: tuple[MigrationRunner, ...] = ()
    module_imports: tuple[ModuleImport, ...] = ()
    env_reads: tuple[Evidence, ...] = ()
    type_hints: tuple[TypeHints, ...] = ()
    function_sizes: tuple[FunctionSize, ...] = ()
    task_spawns: tuple[TaskSpawn, ...] = ()
    task_stops: tuple[TaskStop, ...] = ()
    long_running: tuple[str, ...] = ()
    log_calls: tuple[LogCall, ...] = ()
    log_context: tuple[LogContext, ...] = ()
    equality_lookups: tuple[Lookup, ...] = ()
    referenced_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contract:
    """An import-linter contract of the reviewed project. kind: "layers" | "forbidden" |
    "independence"; layers: top first, each as written ("app.api", "a | b" for siblings);
    containers: the packages the layers are relative to; sources / forbidden: of a forbidden
    contract; modules: of an independence contract; ignored: its `ignore_imports` lines."""

    name: str
    kind: str
    evidence: Evidence
    layers: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tooling:
    """What the project folder holds beside the reviewed code, as the engine found it:
    linters and type checkers configured (tool, where), the first test file found, the
    project's import-linter contracts, and the first SQL migration file of each tool that runs
    outside Python (tool "dbmate", "goose", "flyway"). `scanned` is False when no one looked
    (a project built in a unit test); `tests_known` is False when the folder was too big to
    look through for tests. Checks about what was not looked at say nothing."""

    scanned: bool = False
    linters: tuple[tuple[str, Evidence], ...] = ()
    first_test: Evidence | None = None
    tests_known: bool = False
    contracts: tuple[Contract, ...] = ()
    sql_migrations: tuple[MigrationRunner, ...] = ()


@dataclass(frozen=True, slots=True)
class PracticeEvidence:
    """A location that shows a practice present or needed, and what it shows there."""

    where: Evidence
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True, slots=True)
class PracticeAssessment:
    """One checklist item as the project model shows it: present (evidence of the library,
    hook or endpoint), missing (evidence of the code that needs it), not needed (the reason
    it is not), not applicable (no service runs), or not assessed (the model cannot tell)."""

    practice: Practice
    status: PracticeStatus
    reason: str
    evidence: tuple[PracticeEvidence, ...] = ()


@dataclass(frozen=True, slots=True)
class ProjectModel:
    """Everything prodready understood about the reviewed project.

    layers: (module prefix, layer) pairs configured in `[tool.prodready.layers]`."""

    stack: tuple[StackComponent, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    handlers: tuple[Handler, ...] = ()
    routes: tuple[Route, ...] = ()
    entry_points: tuple[EntryPoint, ...] = ()
    hooks: tuple[Hook, ...] = ()
    jobs: tuple[BackgroundJob, ...] = ()
    schema: Schema = field(default_factory=Schema)
    layers: tuple[tuple[str, str], ...] = ()

    def uses(self, key: str) -> bool:
        return any(component.key == key for component in self.stack)

    def component(self, key: str) -> StackComponent | None:
        return next((c for c in self.stack if c.key == key), None)
