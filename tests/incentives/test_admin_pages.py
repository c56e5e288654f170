"""Admins see the ledger's counts by status, filter it, and export it as a streamed CSV;
learners read their incentive status in plain words; payer accounts come from the CLI."""
from __future__ import annotations

import csv
import io
from datetime import timezone

from lms.accounts.models import Role
from lms.accounts.services import find_user
from lms.extensions import db
from tests import factories
from tests.incentives.helpers import completed, item_of, rate


def _ledger():
    one, _ = completed(factories.learner())
    rate(one)
    completed(factories.learner())
    return one


def test_counts_filter_and_export(app, client, auth):
    eligible = _ledger()
    auth.login(factories.admin().email)
    page = client.get("/admin/eligibility/")
    assert page.status_code == 200
    assert b'data-count="eligible"' in page.data and b"<strong>1</strong> eligible" in page.data
    assert b"<strong>1</strong> pending_rating" in page.data
    filtered = client.get("/admin/eligibility/?status=eligible")
    assert eligible.user.participant_ref.encode() in filtered.data
    assert filtered.data.count(b"data-item=") == 1
    search = client.get(f"/admin/eligibility/?q={eligible.course.slug}")
    assert search.data.count(b"data-item=") == 1
    assert client.get("/admin/eligibility/?status=nope").status_code == 200

    export = client.get("/admin/eligibility/export.csv")
    assert export.status_code == 200 and export.is_streamed
    assert export.headers["X-Total-Rows"] == "2"
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert sorted(r["status"] for r in rows) == ["eligible", "pending_rating"]
    only = client.get("/admin/eligibility/export.csv?status=eligible").get_data(as_text=True)
    assert [r["participant_ref"] for r in csv.DictReader(io.StringIO(only))] == \
        [eligible.user.participant_ref]


def test_empty_ledger_page(app, client, auth):
    auth.login(factories.admin().email)
    page = client.get("/admin/eligibility/")
    assert b"No eligibility item yet" in page.data


def test_the_learner_dashboard_says_what_the_incentive_needs(app, client, auth):
    learner = factories.learner()
    enrollment, _ = completed(learner)
    auth.login(learner.email)
    assert b"Rate the course to qualify for the incentive" in client.get("/dashboard").data
    indonesian = client.get("/dashboard", headers={"Accept-Language": "id"}).data.decode()
    assert "Beri rating untuk memenuhi syarat insentif" in indonesian
    rate(enrollment)
    page = client.get("/dashboard", headers={"Accept-Language": "id"}).data.decode()
    assert 'data-incentive="eligible"' in page and "Memenuhi syarat" in page


def test_cli_creates_a_payer(app, runner):
    result = runner.invoke(args=["users", "create", "bayar@example.test", "--password",
                                 "a-long-password", "--role", "payer"])
    assert result.exit_code == 0, result.output
    assert find_user("bayar@example.test").role == Role.PAYER


def test_export_cells_are_safe_for_spreadsheets(app, client, auth, payer):
    enrollment = _ledger()
    item_id = client.get("/api/v1/eligibility?status=eligible",
                         headers=factories.api_token(payer)).get_json()["items"][0]
    client.post(f"/api/v1/eligibility/{item_id['eligibility_id']}/status",
                headers=factories.api_token(payer),
                json={"status": "paid", "reference": "=HYPERLINK(\"x\")"})
    auth.login(factories.admin().email)
    text = client.get("/admin/eligibility/export.csv?status=paid").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["payer_reference"] == "'=HYPERLINK(\"x\")"
    assert row["recovery_required"] == "false"
    assert row["completed_at"].endswith("Z") and "T" in row["completed_at"]
    assert row["participant_ref"] == enrollment.user.participant_ref


def _stamp(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_export_bytes_are_the_same_on_both_backends(app, client, auth):
    # PostgreSQL writes the CSV itself (COPY), SQLite through Python: the bytes must agree,
    # awkward cells included (a carriage return splits a row unless it is quoted).
    enrollment = _ledger()
    awkward = item_of(enrollment)
    awkward.payer_reference = '-1, "x"\r\nnext'
    db.session.commit()
    plain = item_of(completed(factories.learner())[0])
    auth.login(factories.admin().email)
    body = client.get("/admin/eligibility/export.csv?q=").data
    lines = body.decode().split("\n")
    assert lines[0] == ("eligibility_id,participant_ref,certificate_number,course_slug,"
                        "completed_at,status,reason,recovery_required,payer_reference,changed_at")
    expected = {
        awkward.id: f'{awkward.id},{awkward.participant_ref},{awkward.certificate_number},'
                    f'{awkward.course_slug},{_stamp(awkward.completed_at)},eligible,,false,'
                    f'"\'-1, ""x""\r\nnext",{_stamp(awkward.changed_at)}\n',
        plain.id: f'{plain.id},{plain.participant_ref},{plain.certificate_number},'
                  f'{plain.course_slug},{_stamp(plain.completed_at)},pending_rating,,false,,'
                  f'{_stamp(plain.changed_at)}\n'}
    for row in expected.values():
        assert row.encode() in body
    assert body.endswith(expected[plain.id].encode())
    assert len(list(csv.reader(io.StringIO(body.decode(), newline="")))) == 4
