"""The GitHub workflows: parsed, checked for pinned actions and safe use of secrets, and their
`run:` steps run here, in a temporary git repository holding a sample data change, with a
fake geocoder and a fake `gh`, no secrets and no network."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
FAKES = Path(__file__).parent / "fakes"
DATA = "data/resources.csv"
INSTALL = "scripts/setup"  # done once for the whole suite: the sample repository links .venv


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job["steps"]


# --- what every workflow must be ----------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_well_formed_and_pins_its_actions(path):
    workflow = yaml.safe_load(path.read_text("utf-8"))
    assert workflow["name"] and triggers(workflow)
    assert "pull_request_target" not in triggers(workflow)  # a fork's code never sees secrets
    assert isinstance(workflow.get("permissions"), dict), "say which token permissions are needed"
    assert workflow["defaults"]["run"]["shell"] == "bash"  # bash -eo pipefail: a failing command fails the step
    for step in steps(workflow):
        assert ("uses" in step) != ("run" in step), step
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@(v\d+(\.\d+)*|[0-9a-f]{40})", step["uses"]), step["uses"]
        else:
            # Expressions go through env, never into the script: no injection, nothing echoed.
            assert "${{" not in step["run"], step["run"]
    for job in workflow["jobs"].values():
        assert job.get("timeout-minutes"), "a stuck job should not burn six hours"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_only_reach_the_steps_that_need_them(path):
    workflow = yaml.safe_load(path.read_text("utf-8"))
    if "pull_request" in triggers(workflow):
        assert "secrets." not in json.dumps(workflow)
    for step in steps(workflow):
        for name, value in (step.get("env") or {}).items():
            if "secrets." in str(value):
                assert str(value).strip() == f"${{{{ secrets.{name} }}}}", (name, value)
    for job in workflow["jobs"].values():
        assert "secrets." not in json.dumps(job.get("env", {})), "secrets at job level reach every step"


def test_scheduled_workflows_do_not_run_in_forks_and_never_merge():
    for name in ("geocode.yml", "stale.yml"):
        workflow = load(name)
        assert {"schedule", "workflow_dispatch"} <= set(triggers(workflow))
        for job in workflow["jobs"].values():
            assert job["if"] == "${{ !github.event.repository.fork }}"
    text = (ROOT / ".github" / "workflows" / "geocode.yml").read_text("utf-8")
    assert "merge" not in re.sub(r"#.*", "", text).replace("Nothing is merged", "")
    assert load("data-check.yml")["jobs"]["check"]["steps"][0]["with"]["fetch-depth"] == 0


# --- running the steps ----------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """This project's tracked files at a `main` commit (also as origin/main), with .venv and
    node_modules linked in, checked out on a pull request branch."""
    repo = tmp_path / "repo"
    for name in git(ROOT, "ls-files").splitlines():
        if name.startswith(("tests/", "benchmarks/")) or not (ROOT / name).is_file():
            continue
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    for name in (".venv", "node_modules"):
        (repo / name).symlink_to(ROOT / name)
    (repo / ".gitignore").write_text(".venv\nnode_modules\nsite/\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "main")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-qb", "change")
    return repo


def edit_rows(repo: Path, change) -> list[dict[str, str]]:
    """Rewrite the CSV through ``change(rows) -> rows`` and commit it."""
    path = repo / DATA
    reader = csv.DictReader(io.StringIO(path.read_text("utf-8")))
    header, rows = reader.fieldnames, change(list(reader))
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), "utf-8")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "change")
    return rows


def run_job(workflow: dict, repo: Path, expressions: dict[str, str], extra_env: dict[str, str] | None = None):
    """Run the `run:` steps of the workflow's one job as the runner would: bash -eo pipefail,
    the step's env (each ${{ }} looked up in ``expressions``; an unknown one fails the test),
    `if:` and `continue-on-error` honoured. Returns [(step name, exit code, stdout, stderr)]."""
    (job,) = workflow["jobs"].values()
    temp = repo.parent / "runner-temp"
    temp.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "AMAP_", "BAIDU_", "ATLAS_GEOCODE"))}
    base |= {"GITHUB_ACTIONS": "true", "CI": "true", "RUNNER_TEMP": str(temp), "GITHUB_WORKSPACE": str(repo)} | (extra_env or {})
    results, failed = [], False
    for number, step in enumerate(job["steps"]):
        if "run" not in step or step["run"].strip() == INSTALL:
            continue
        condition = step.get("if", "success()")
        if failed and condition not in ("${{ !cancelled() }}", "always()"):
            results.append((step["name"], None, "", "skipped"))
            continue
        summary = temp / f"summary-{number}.md"
        env = base | {"GITHUB_STEP_SUMMARY": str(summary)}
        for name, value in (step.get("env") or {}).items():
            env[name] = re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: expressions[m.group(1)], str(value))
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True, timeout=300)
        results.append((step["name"], done.returncode, done.stdout, done.stderr, summary.read_text("utf-8") if summary.exists() else ""))
        failed = failed or (done.returncode != 0 and not step.get("continue-on-error"))
    return results


def line_of(repo: Path, resource_id: str) -> int:
    return next(n for n, text in enumerate((repo / DATA).read_text("utf-8").splitlines(), 1) if text.startswith(resource_id + ","))


def sample_row(rows, **cells):
    return dict(rows[0]) | {"id": "example-0001", "name": "示例场馆0001", "source": "", "phone": "", "website": ""} | cells


def test_data_check_on_a_good_change(repo):
    edit_rows(repo, lambda rows: rows + [sample_row(rows)])
    results = {name: rest for name, *rest in run_job(load("data-check.yml"), repo, {"github.base_ref": "main"})}
    code, out, _, summary = results["检查资源表"]
    assert code == 0
    assert f"::warning file={DATA},line={line_of(repo, 'example-0001')},title=第 " in out
    assert "## 数据检查" in summary and "个错误" in summary
    code, out, _, summary = results["改了什么"]
    assert code == 0 and "示例场馆0001" in summary and "example-0001" in out
    code, _, err, _ = results["生成网站"]
    assert code == 0, err
    assert (repo / "site" / "r" / "example-0001" / "index.html").is_file()


def test_data_check_fails_on_an_error_with_an_annotation_on_its_line(repo):
    edit_rows(repo, lambda rows: rows + [sample_row(rows, category="飞艇")])
    results = {name: rest for name, *rest in run_job(load("data-check.yml"), repo, {"github.base_ref": "main"})}
    code, out, _, summary = results["检查资源表"]
    assert code == 1
    line = line_of(repo, "example-0001")
    assert re.search(rf"^::error file={DATA},line={line},title=第 {line} 行（编号 example-0001）：错误::【类别】“飞艇”", out, re.M)
    assert "× 错误" in summary
    assert results["改了什么"][0] == 0 and "example-0001" in results["改了什么"][3]  # still summarised
    assert results["生成网站"][0] is None  # skipped: the check has failed


def test_geocode_writes_the_cache_and_lists_what_needs_review(repo, tmp_path):
    rows = edit_rows(repo, lambda rows: [dict(r, lat="", lon="") for r in rows[:3]])
    (repo / "data" / "routes.yml").unlink(missing_ok=True)
    far = rows[1]["address"]
    answers, log = tmp_path / "answers.json", tmp_path / "queries.log"
    answers.write_text(json.dumps({far: "amap-two-far.json"}, ensure_ascii=False))
    workflow = load("geocode.yml")
    expressions = {"inputs.provider || vars.ATLAS_GEOCODE_PROVIDER || 'amap'": "amap", "secrets.AMAP_KEY": "fake-amap-key-123", "secrets.BAIDU_AK": "", "secrets.BAIDU_SK": "", "secrets.ATLAS_GEOCODE_CONTACT": ""}
    fake = {"PYTHONPATH": str(FAKES), "ATLAS_FAKE_ANSWERS": str(answers), "ATLAS_FAKE_LOG": str(log)}
    results = {name: rest for name, *rest in run_job(workflow, repo, expressions, fake)}
    code, out, err, _ = results["查询坐标"]
    assert code == 1, err  # one result waits for review; the step may fail (continue-on-error)
    assert sorted(log.read_text("utf-8").splitlines()) == sorted(r["address"] for r in rows)
    cache = json.loads((repo / "data" / "geocache.json").read_text("utf-8"))["entries"]
    assert sorted(entry["status"] for entry in cache.values()) == ["accepted", "accepted", "needs_review"]
    assert results["列出待确认的坐标"][0] == 0
    body = (repo.parent / "runner-temp" / "geocode-review.md").read_text("utf-8")
    assert "待确认的坐标（1 个地址）" in body and f"`{rows[1]['id']}`" in body and "2 个候选结果" in body
    for _, out, err, summary in results.values():
        assert "fake-amap-key-123" not in out + err + summary


def fake_gh(tmp_path: Path, issues: list[dict]) -> dict[str, str]:
    (tmp_path / "bin").mkdir(parents=True, exist_ok=True)
    (tmp_path / "bin" / "gh").symlink_to(FAKES / "gh")
    (tmp_path / "issues.json").write_text(json.dumps(issues, ensure_ascii=False))
    (tmp_path / "gh.log").write_text("")
    return {"PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "FAKE_GH_ISSUES": str(tmp_path / "issues.json"), "FAKE_GH_LOG": str(tmp_path / "gh.log")}


def gh_calls(tmp_path: Path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "gh.log").read_text("utf-8").splitlines()]


STALE = {"github.token": "fake-token", "github.repository": "jlp-atlas/atlas"}


def test_stale_reminder_opens_one_issue_then_updates_it(repo, tmp_path):
    env = fake_gh(tmp_path, [{"number": 7, "body": "someone else's issue"}])
    results = run_job(load("stale.yml"), repo, STALE, env)
    assert [code for _, code, *_ in results] == [0, 0], results
    calls = gh_calls(tmp_path)
    assert [c["args"][:2] for c in calls] == [["issue", "list"], ["label", "create"], ["issue", "create"]]
    body = calls[-1]["body"]
    assert body.startswith("<!-- atlas:stale -->") and "从未核实" in body and "/blob/main/data/resources.csv#L" in body

    env = fake_gh(tmp_path / "again", [{"number": 7, "body": "someone else's issue"}, {"number": 9, "body": body}])
    run_job(load("stale.yml"), repo, STALE, env)
    calls = gh_calls(tmp_path / "again")
    assert [c["args"][:3] for c in calls] == [["issue", "list", "--state"], ["issue", "edit", "9"]]


def test_stale_reminder_closes_its_issue_when_nothing_is_stale(repo, tmp_path):
    today = dt.date.today().isoformat()
    edit_rows(repo, lambda rows: [dict(r, verified_on=today) for r in rows])
    env = fake_gh(tmp_path, [{"number": 9, "body": "<!-- atlas:stale -->\n\n…"}])
    results = run_job(load("stale.yml"), repo, STALE, env)
    assert "关闭了 1 个提醒" in results[-1][2]
    assert [c["args"][:3] for c in gh_calls(tmp_path)] == [["issue", "list", "--state"], ["issue", "close", "9"]]


def test_pull_requests_get_deploy_previews_built_like_production():
    import tomllib

    netlify = tomllib.loads((ROOT / "netlify.toml").read_text("utf-8"))
    assert netlify["context"]["deploy-preview"]["command"] == netlify["build"]["command"]
