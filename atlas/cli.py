"""The `atlas` command line: tools for the people who edit the data.

Errors are one clear line and a hint, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click
from tqdm import tqdm

from . import geocode as geocoding
from . import reference
from .district import load_bounds
from .findings import to_github, to_json, to_text
from .geocache import first_error, load_cache, write_cache
from .plaintext import visible
from .redact import redact, secrets_of
from .summary import append as append_summary
from .summary import code_block
from .validate import Settings, validate_csv, validate_routes

CONTEXT = {"help_option_names": ["-h", "--help"]}


class Commands(click.Group):
    """Any command's unexpected error is one line with secrets hidden, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if os.environ.get("ATLAS_DEBUG"):
                raise
            what = redact(f"{type(error).__name__}: {error}", secrets_of(os.environ))
            raise click.ClickException(f"意外错误：{what}（请把这一行报告给维护者；设置 ATLAS_DEBUG=1 可看到详细信息）") from None


@click.group(cls=Commands, context_settings=CONTEXT)
def main() -> None:
    """九龙坡区协同育人资源图谱：数据编辑工具。

    \b
    例：
      atlas validate                      检查 data/resources.csv
      atlas validate my.csv --format json 给 CI 用的 JSON 报告
      atlas template > 新资源.csv          生成 CSV 模板
      atlas geocode --dry-run             列出没有坐标、将按地址查询的行
      atlas fix 区科协.csv -o 新.csv       整理成规范格式，列出每一处改动
      atlas diff --git origin/main        按编号列出资源表改了什么
      atlas sheet --department 区科协 -o 区科协.xlsx   导出本单位的 Excel 表
      atlas merge 区科协.xlsx              把改好的表合并回资源表
    """
    # A console on Chinese Windows (GBK) cannot print every character: replace, never crash.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


@main.command(context_settings=CONTEXT)
@click.argument("csv_path", default="data/resources.csv", metavar="[CSV]", type=click.Path())
@click.option("--routes", "routes_path", default="data/routes.yml", show_default=True, type=click.Path(), help="研学路线文件；不存在时跳过")
@click.option("--geocache", "geocache_path", default="data/geocache.json", show_default=True, type=click.Path(), help="地理编码缓存")
@click.option("--format", "output", type=click.Choice(["text", "json", "github"]), default="text", show_default=True, help="text：中文报告；json：给 CI 用；github：GitHub Actions 的行内标注")
@click.option("--summary", type=click.Path(dir_okay=False), help="另把中文报告追加到这个 Markdown 文件，超过 1 MiB 时截断（如 \"$GITHUB_STEP_SUMMARY\"：GitHub 的作业摘要）")
@click.option("--stale-days", default=365, show_default=True, type=click.IntRange(min=1), help="超过多少天未核实算过期")
@click.option("--bounds", default=None, help="区界：GeoJSON 文件，或 南,西,北,东 四个数")
@click.option("--today", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), help="按哪一天判断过期（默认今天）")
@click.option("--programs", "programs_path", default=None, type=click.Path(), help="场馆课表（检查 data/resources.csv 时默认 data/programs.csv；不存在时跳过）")
@click.option("--calendar", "calendar_path", default=None, type=click.Path(), help="寒暑假校历（检查 data/resources.csv 时默认 data/calendar.yml；不存在时跳过）")
@click.option("--synonyms", "synonyms_path", default=None, type=click.Path(), help="搜索同义词表（检查 data/resources.csv 时默认 data/synonyms.yml；不存在时跳过）")
def validate(csv_path, routes_path, geocache_path, output, summary, stale_days, bounds, today, programs_path, calendar_path, synonyms_path) -> None:
    """检查资源表（和研学路线、场馆课表、寒暑假校历、搜索同义词表），按行列出错误和提醒。

    有错误时退出码为 1，没有错误为 0；提醒不影响发布。

    \b
    例：atlas validate data/resources.csv --format json
    """
    _, atlas = _validated(csv_path, bounds, geocache_path, stale_days=stale_days, today=today.date() if today else None)
    if _file(routes_path, "研学路线文件", missing_ok=True):
        validate_routes(routes_path, atlas)
    from . import holidays, programs, school_terms

    shipped = Path(csv_path) == Path("data/resources.csv")  # another file (a department's sheet) is checked on its own
    calendar_path = calendar_path or ("data/calendar.yml" if shipped else None)
    programs_path = programs_path or ("data/programs.csv" if shipped else None)
    synonyms_path = synonyms_path or ("data/synonyms.yml" if shipped else None)
    if synonyms_path and _file(synonyms_path, "搜索同义词表", missing_ok=True):
        from .forgive import check_synonyms

        atlas.report.add(*check_synonyms(synonyms_path)[1])
    if calendar_path and _file(calendar_path, "寒暑假校历", missing_ok=True):
        atlas.report.add(*school_terms.load(calendar_path, holidays.china())[1])
    if programs_path and _file(programs_path, "场馆课表 CSV", missing_ok=True):
        programs.validate_programs(programs_path, {r.id for r in atlas.resources}, holidays.china(), atlas.report)
    click.echo({"json": to_json, "github": to_github, "text": to_text}[output](atlas.report))
    if summary:
        _summarise(summary, f"## 数据检查：{csv_path}\n\n" + code_block(to_text(atlas.report)))
    sys.exit(0 if atlas.report.ok else 1)


def _summarise(path: str, markdown: str) -> None:
    try:
        append_summary(path, markdown)
    except OSError as error:
        raise click.ClickException(f"无法写入摘要文件 {path}：{error.strerror}") from None


def _validated(csv_path: str, bounds: str | None, cache_path: str, cache_hint: str = "", **settings):
    """Read the district bounds, the geocode cache and the CSV, or fail with one clear line."""
    _file(csv_path, "资源表 CSV")
    _file(cache_path, "地理编码缓存", missing_ok=True)
    try:
        district = load_bounds(_bounds_option(bounds))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise click.ClickException(f"无法读取区界 {bounds}：{error}（应为 GeoJSON 多边形）") from None
    try:
        cache, cache_findings = load_cache(cache_path)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"无法读取地理编码缓存 {cache_path}：{getattr(error, 'strerror', None) or error}{cache_hint}") from None
    if cache_hint and first_error(cache_findings):  # geocode rewrites the cache: only one without errors
        raise click.ClickException(f"无法读取地理编码缓存 {cache_path}：{visible(first_error(cache_findings))}{cache_hint}")
    chosen = Settings(district, geocache=cache, **{key: value for key, value in settings.items() if value is not None})
    try:
        atlas = validate_csv(Path(csv_path), chosen)
    except OSError as error:
        raise click.ClickException(f"无法读取 {csv_path}：{error.strerror}") from None
    atlas.report.add(*cache_findings)
    return chosen, atlas


def _file(path: str, what: str, missing_ok: bool = False) -> bool:
    """Whether ``path`` is a file to read (False: it does not exist and need not); else one clear line."""
    where = Path(path)
    if where.is_dir():
        raise click.ClickException(f"{path} 是一个文件夹，不是{what}（请写出文件的路径）")
    if where.exists() and not where.is_file():
        raise click.ClickException(f"{path} 不是普通文件（是设备、管道或套接字），不能当作{what}读取")
    if not where.exists() and not missing_ok:
        raise click.ClickException(f"找不到{what} {path}（在仓库根目录运行，或写出文件的路径）")
    return where.exists()


def _bounds_option(value: str | None):
    if value is None or Path(value).is_file():
        return value
    parts = value.split(",")
    try:
        return [float(p) for p in parts] if len(parts) == 4 else _bad_bounds(value)
    except ValueError:
        _bad_bounds(value)


def _bad_bounds(value: str):
    raise click.BadParameter(f"“{value}”既不是文件，也不是 南,西,北,东 四个数", param_hint="--bounds")


@main.command(context_settings=CONTEXT)
@click.option("--programs", is_flag=True, help="场馆课表（data/programs.csv）的模板")
def template(programs) -> None:
    """输出一份 CSV 模板（表头加一行示例），由数据模型生成。

    \b
    例：atlas template > 新资源.csv
        atlas template --programs > 课表.csv
    """
    from .program_schema import Program

    click.echo(reference.csv_template(Program if programs else None), nl=False)


@main.command(context_settings=CONTEXT)
@click.option("--programs", is_flag=True, help="场馆课表（data/programs.csv）的列")
def columns(programs) -> None:
    """输出列说明表（Markdown），由数据模型生成，与编辑指南一致。

    \b
    例：atlas columns > 列说明.md
        atlas columns --programs
    """
    click.echo(reference.program_columns_markdown() if programs else reference.columns_markdown(), nl=False)


@main.command("geocode", context_settings=CONTEXT)
@click.argument("csv_path", default="data/resources.csv", metavar="[CSV]", type=click.Path())
@click.option("--provider", type=click.Choice(geocoding.PROVIDERS), default="nominatim", show_default=True, envvar="ATLAS_GEOCODE_PROVIDER", show_envvar=True, help="地理编码服务：nominatim（OpenStreetMap，需 ATLAS_GEOCODE_CONTACT）、baidu（需 BAIDU_AK，可选 BAIDU_SK）、amap（高德，需 AMAP_KEY）")
@click.option("--cache", "cache_path", default="data/geocache.json", show_default=True, type=click.Path(), help="地理编码缓存（本命令只写它，从不改资源表）")
@click.option("--dry-run", is_flag=True, help="只列出将要查询的地址：不联网，不写缓存")
@click.option("--only", multiple=True, metavar="ID", help="只处理这些编号的行；可重复，或用逗号分隔")
@click.option("--prune", is_flag=True, help="删除没有任何行使用的缓存条目（逐条列出）")
@click.option("--bounds", default=None, help="区界：GeoJSON 文件，或 南,西,北,东 四个数")
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="两次请求至少间隔几秒（默认 Nominatim 1，不能更少；百度、高德 0.5）")
def geocode_command(csv_path, provider, cache_path, dry_run, only, prune, bounds, delay) -> None:
    """按地址为没有坐标的行查询坐标，写入地理编码缓存（统一存为 WGS-84）。

    不在区内、镇街对不上、只精确到区域、候选相距较远的结果记为“待确认”，不会上图。

    行内已填的坐标总是优先；资源表不会被改写；API key 只从环境变量读取。

    有失败或待确认时退出码为 1。

    \b
    例：atlas geocode --dry-run
        AMAP_KEY=… atlas geocode --provider amap --only jlp-library
    """
    settings, atlas = _validated(csv_path, bounds, cache_path, cache_hint="（修好或删掉它再运行；不会覆盖读不懂的缓存）")
    district, entries = settings.bounds, settings.geocache
    if not atlas.report.ok:
        raise click.ClickException(f"{csv_path} 有 {len(atlas.report.errors)} 个错误，先运行 atlas validate {csv_path} 修正后再查询坐标")
    wanted = {part.strip() for item in only for part in item.split(",") if part.strip()} or None
    unknown = sorted((wanted or set()) - {r.id for r in atlas.resources})
    if unknown:
        raise click.ClickException(f"--only 的编号不在资源表的已发布行里：{'、'.join(unknown)}")
    the_plan = geocoding.plan(atlas.resources, entries, wanted)
    stale = geocoding.unused(entries, [row.cells for row in atlas.rows.values()])
    if dry_run:
        click.echo(visible(geocoding.dry_run_text(provider, the_plan, stale, prune, os.environ)))
        return
    try:  # a key is needed only when there is something to ask
        service = geocoding.make_provider(provider, os.environ, pace=geocoding.Pace(delay)) if the_plan.jobs else None
    except geocoding.ConfigError as error:
        raise click.ClickException(str(error)) from None
    outcomes: list = []
    try:
        if service is not None:
            for outcome in geocoding.run(_progress(the_plan.jobs), service, district, dt.date.today()):
                outcomes.append(outcome)
    finally:  # also on Ctrl-C: keep what was answered; the write itself is atomic
        merged = geocoding.merge(entries, outcomes, stale if prune else ())
        if merged != entries:
            write_cache(cache_path, merged)
    click.echo(visible(geocoding.report_text(the_plan, outcomes, stale, prune)))
    sys.exit(1 if the_plan.pending or any(o.status != "accepted" for o in outcomes) else 0)


def _progress(jobs: list):
    """A progress bar on stderr for a terminal; none in CI or when output is redirected."""
    quiet = not sys.stderr.isatty() or bool(os.environ.get("CI"))
    return tqdm(jobs, desc="地理编码", unit="个地址", disable=quiet or len(jobs) < 2, leave=False, file=sys.stderr)


@main.command("diff", context_settings=CONTEXT)
@click.argument("paths", nargs=-1, metavar="[OLD NEW]", type=click.Path())
@click.option("--git", "rev", metavar="REV", help="与 git 版本 REV（分支、标签或提交）里的同一文件比较；只需写一个文件，默认 data/resources.csv")
@click.option("--format", "output", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True, help="text：中文报告；markdown：用于合并请求的摘要；json：给程序用")
@click.option("--summary", type=click.Path(dir_okay=False), help="另把 Markdown 摘要追加到这个文件，超过 1 MiB 时截断（如 \"$GITHUB_STEP_SUMMARY\"）")
def diff_command(paths, rev, output, summary) -> None:
    """按编号比较资源表的两个版本：新增、删除的资源，和每个修改的资源改了哪些列（原值 → 新值）。

    行的顺序、列的顺序、中文或英文列名、编码（UTF-8、带 BOM、GB18030）和换行符（CRLF/LF）都不算变化，只在最后说明。

    比较完整时退出码为 0（不论有没有变化）；有行无法读取或编号为空、重复时为 1。

    \b
    例：atlas diff 旧.csv 新.csv
        atlas diff --git origin/main
        atlas diff --git HEAD~1 data/resources.csv --format markdown
    """
    from . import diff as diffing

    if rev is not None and len(paths) > 1:
        raise click.UsageError("用 --git 时只写一个文件（默认 data/resources.csv）")
    if rev is None and len(paths) != 2:
        raise click.UsageError("请写出两个文件：atlas diff 旧文件 新文件；或用 --git 版本 与 git 里的版本比较")
    try:
        result = diffing.diff_git(paths[0] if paths else "data/resources.csv", rev) if rev is not None else diffing.diff_files(*paths)
    except diffing.DiffError as error:
        raise click.ClickException(str(error)) from None
    printer = {"text": diffing.to_text, "markdown": diffing.to_markdown, "json": diffing.to_json}[output]
    click.echo(printer(result), nl=output != "markdown")
    if summary:
        _summarise(summary, diffing.to_markdown(result))
    sys.exit(0 if result.complete else 1)


@main.command("fix", context_settings=CONTEXT)
@click.argument("csv_path", metavar="CSV", type=click.Path())
@click.option("-o", "--output", "out_path", metavar="OUT", type=click.Path(), help="写到另一个文件；不写则原地改写（整体替换，不会留下写了一半的文件）")
def fix_command(csv_path, out_path) -> None:
    """把编辑过的资源表改成规范格式，并逐条列出每一处改动。

    规范格式：UTF-8（无 BOM）、LF 换行、标准列名（中文列名改为英文键）和列顺序；单元格去掉首尾空白；
    电话统一写法，并补回表格软件丢掉的开头的 0（2368781234 → 023-68781234）；日期改为 YYYY-MM-DD
    （包括表格软件的日期序号）；类别、费用等写成代码；多个值用 ; 分隔。

    无法确定的值保持原样并列出；有会丢失内容的结构问题（无法识别的列名、单元格数不对、引号没闭合、编码无法识别）时不改写。
    全部修正时退出码为 0；有保持原样的问题或没有改写时为 1。

    \b
    例：atlas fix 区科协.csv -o data/resources.csv
        atlas fix data/resources.csv
    """
    from . import fix as fixing
    from .files import FileError, write_text

    target = out_path or csv_path
    try:
        result = fixing.fix_file(csv_path)
        write = result.text is not None and (out_path is not None or result.changed)  # unchanged in place: untouched
        if write:
            write_text(target, result.text)
    except FileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(fixing.to_text(result, target if write else None))
    sys.exit(1 if result.blocked or result.left else 0)


@main.command("geocode-review", context_settings=CONTEXT)
@click.argument("csv_path", default="data/resources.csv", metavar="[CSV]", type=click.Path())
@click.option("--cache", "cache_path", default="data/geocache.json", show_default=True, type=click.Path(), help="地理编码缓存")
@click.option("--format", "output", type=click.Choice(["text", "markdown"]), default="text", show_default=True, help="text：中文清单；markdown：合并请求的正文")
@click.option("--site-url", default=None, help="资源页面的网址前缀（默认取 mkdocs.yml 的 site_url）")
def geocode_review_command(csv_path, cache_path, output, site_url) -> None:
    """列出地理编码缓存里待确认的坐标（资源表用到的地址），附在地图上核对的链接；不联网。

    \b
    例：atlas geocode-review
        atlas geocode-review --format markdown > 待确认.md
    """
    from . import georeview
    from .stale import read_site

    settings, atlas = _validated(csv_path, None, cache_path, cache_hint="（修好它再运行）")
    reviews = georeview.pending(atlas.resources, settings.geocache)
    if output == "markdown":
        click.echo(visible(georeview.to_markdown(reviews, settings.geocache, read_site("mkdocs.yml").site_url if site_url is None else site_url)), nl=False)
    else:
        click.echo(visible(georeview.to_text(reviews, settings.geocache)))


@main.command("stale", context_settings=CONTEXT)
@click.argument("csv_path", default=None, required=False, metavar="[CSV]", type=click.Path())
@click.option("--format", "output", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True, help="text：中文清单；markdown：提醒 issue 的正文；json：给程序用")
@click.option("--config", "config_path", default="mkdocs.yml", show_default=True, type=click.Path(), help="从这里读网站地址、仓库、资源表路径和 stale_days")
@click.option("--stale-days", default=None, type=click.IntRange(min=1), help="超过多少天未核实算过期（默认取 mkdocs.yml 的 stale_days）")
@click.option("--today", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), help="按哪一天计算（默认今天）")
def stale_command(csv_path, output, config_path, stale_days, today) -> None:
    """按责任单位列出待核实的资源：从未核实，或核实日期超过 stale_days 天；每条附页面和编辑链接。

    退出码为 0（不论有没有待核实的条目）；资源表有错误时为 1。

    \b
    例：atlas stale
        atlas stale --format markdown > 待核实.md
        atlas stale --today 2027-01-01 --format json
    """
    from dataclasses import replace

    from . import stale as staling

    site = staling.read_site(config_path)
    if stale_days:
        site = replace(site, stale_days=stale_days)
    day = today.date() if today else dt.date.today()
    path = csv_path or site.data_path
    _, atlas = _validated(path, None, "data/geocache.json", stale_days=site.stale_days, today=day)
    if not atlas.report.ok:
        raise click.ClickException(f"{path} 有 {len(atlas.report.errors)} 个错误，先运行 atlas validate {path} 修正")
    found = staling.stale_rows(atlas, site, day)
    printer = {"text": staling.to_text, "markdown": staling.to_markdown, "json": staling.to_json}[output]
    click.echo(visible(printer(found, site, day)))


@main.command("sheet", context_settings=CONTEXT)
@click.argument("csv_path", default="data/resources.csv", metavar="[CSV]", type=click.Path())
@click.option("--department", metavar="D", help="只导出这个责任单位的资源（一张表）；不写则每个有资源的单位一张表")
@click.option("-o", "--output", "out_path", required=True, metavar="FILE.xlsx", type=click.Path(), help="写到哪个 .xlsx 文件（整体替换写入）")
def sheet_command(csv_path, department, out_path) -> None:
    """把资源表导出为 Excel/WPS 工作簿，给责任单位填写，改好后用 atlas merge 合并回来。

    每个责任单位一张表，表头是中文列名（下一行小字是英文键，请不要改）；类别、镇街、学段等列有下拉列表；
    所有单元格都是文本；另有一张“填写说明”表，列出每一列的含义、示例和可选值。

    \b
    例：atlas sheet --department 区科协 -o 区科协.xlsx
        atlas sheet -o 全部单位.xlsx
    """
    from . import sheet as sheets
    from .files import FileError, read_bytes, write_text
    from .load import read_table
    from .taxonomy import taxonomy

    _file(csv_path, "资源表 CSV")
    if department is not None and department not in taxonomy().departments:
        raise click.ClickException(f"“{department}”不是责任单位；可选：{'、'.join(taxonomy().departments)}")
    if not out_path.lower().endswith(".xlsx"):
        raise click.ClickException(f"输出文件 {out_path} 应以 .xlsx 结尾（Excel 工作簿）")
    try:
        table, findings = read_table(csv_path, read_bytes(csv_path))
        blocking = [f for f in findings if f.severity == "error" and f.code != "header.missing"]
        if blocking:
            raise click.ClickException(f"{csv_path} 有结构错误，不能导出（{visible(blocking[0].message)}）；先运行 atlas validate {csv_path}")
        rows = [row.cells for row in table.rows]
        chosen = [department] if department else sheets.departments_of(rows)
        write_text(out_path, sheets.write_workbook(rows, chosen))
    except FileError as error:
        raise click.ClickException(str(error)) from None
    left_out = [r.get("id", "") for r in rows if not department and r.get("department") not in chosen]
    counts = "、".join(f"{d} {sum(r.get('department') == d for r in rows)} 行" for d in chosen)
    click.echo(f"已写入 {out_path}：{counts}。")
    if left_out:
        click.echo(f"! 这些行的责任单位不是有效的单位，没有导出：{'、'.join(left_out)}（先运行 atlas validate）")


@main.command("merge", context_settings=CONTEXT)
@click.argument("book_path", metavar="FILE.xlsx", type=click.Path())
@click.option("--csv", "csv_path", default="data/resources.csv", show_default=True, type=click.Path(), help="合并到哪个资源表")
@click.option("--department", metavar="D", help="确认这是 D 的表：工作簿里有其他单位的表时拒绝合并")
@click.option("--dry-run", is_flag=True, help="只检查并列出变化，不写入资源表")
def merge_command(book_path, csv_path, department, dry_run) -> None:
    """把责任单位改好的工作簿合并回资源表：先检查，再像 atlas diff 一样列出每一处变化，然后整体替换写入。

    只接受本单位的资源（按表名判断）；编号不在资源表里的行作为新资源加在最后；表里没有的资源保持原样，从不删除。
    有任何错误（其他单位的行、被改名或删掉的列、合并单元格、公式、检查不通过的单元格）时不写入，退出码为 1。
    表没有改动时，资源表一个字节也不变。

    \b
    例：atlas merge 区科协.xlsx --dry-run
        atlas merge 区科协.xlsx --department 区科协
    """
    from .files import FileError, read_bytes, write_text
    from .merge import merge_workbook, to_text
    from .sheet import BookError

    _file(book_path, "工作簿")
    settings, _ = _validated(csv_path, None, "data/geocache.json")
    try:
        result = merge_workbook(read_bytes(book_path), book_path, read_bytes(csv_path), csv_path, settings, department)
        written = result.changed and not dry_run
        if written:
            write_text(csv_path, result.text)
    except (FileError, BookError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(to_text(result, written, dry_run))
    sys.exit(0 if result.ok else 1)


if __name__ == "__main__":
    main()
