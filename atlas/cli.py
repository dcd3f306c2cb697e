"""The `atlas` command line: tools for the people who edit the data.

Errors are one clear line and a hint, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import reference
from .district import load_bounds
from .findings import to_json, to_text
from .geocache import read_cache
from .validate import Settings, validate_csv, validate_routes

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(context_settings=CONTEXT)
def main() -> None:
    """九龙坡区协同育人资源图谱：数据编辑工具。

    \b
    例：
      atlas validate                      检查 data/resources.csv
      atlas validate my.csv --format json 给 CI 用的 JSON 报告
      atlas template > 新资源.csv          生成 CSV 模板
    """


@main.command(context_settings=CONTEXT)
@click.argument("csv_path", default="data/resources.csv", metavar="[CSV]", type=click.Path(dir_okay=False))
@click.option("--routes", "routes_path", default="data/routes.yml", show_default=True, type=click.Path(dir_okay=False), help="研学路线文件；不存在时跳过")
@click.option("--geocache", "geocache_path", default="data/geocache.json", show_default=True, type=click.Path(dir_okay=False), help="地理编码缓存")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text：中文报告；json：给 CI 用")
@click.option("--stale-days", default=365, show_default=True, type=click.IntRange(min=1), help="超过多少天未核实算过期")
@click.option("--bounds", default=None, help="区界：GeoJSON 文件，或 南,西,北,东 四个数")
@click.option("--today", default=None, type=click.DateTime(formats=["%Y-%m-%d"]), help="按哪一天判断过期（默认今天）")
def validate(csv_path, routes_path, geocache_path, output, stale_days, bounds, today) -> None:
    """检查资源表（和研学路线），按行列出错误和提醒。

    有错误时退出码为 1，没有错误为 0；提醒不影响发布。

    \b
    例：atlas validate data/resources.csv --format json
    """
    path = Path(csv_path)
    if not path.is_file():
        raise click.ClickException(f"找不到文件 {csv_path}（在仓库根目录运行，或写出 CSV 的路径）")
    try:
        district = load_bounds(_bounds_option(bounds))
    except (OSError, ValueError, KeyError, IndexError, TypeError) as error:
        raise click.ClickException(f"无法读取区界 {bounds}：{error}（应为 GeoJSON 多边形）") from None
    try:
        cache = read_cache(geocache_path)
    except (OSError, ValueError) as error:
        raise click.ClickException(f"无法读取地理编码缓存 {geocache_path}：{error}") from None
    settings = Settings(district, stale_days, today.date() if today else dt.date.today(), cache)
    try:
        atlas = validate_csv(path, settings)
    except OSError as error:
        raise click.ClickException(f"无法读取 {csv_path}：{error.strerror}") from None
    if Path(routes_path).is_file():
        validate_routes(routes_path, atlas)
    click.echo(to_json(atlas.report) if output == "json" else to_text(atlas.report))
    sys.exit(0 if atlas.report.ok else 1)


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
def template() -> None:
    """输出一份 CSV 模板（表头加一行示例），由数据模型生成。

    \b
    例：atlas template > 新资源.csv
    """
    click.echo(reference.csv_template(), nl=False)


@main.command(context_settings=CONTEXT)
def columns() -> None:
    """输出列说明表（Markdown），由数据模型生成，与编辑指南一致。

    \b
    例：atlas columns > 列说明.md
    """
    click.echo(reference.columns_markdown(), nl=False)
