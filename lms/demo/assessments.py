"""The demo course's assessments: question banks for its pre-test, module quiz and post-test,
and the skill task's instructions. Safe to run again: what exists is left alone."""
from __future__ import annotations

from sqlalchemy import select

from lms.assessments import authoring
from lms.assessments.models import QuestionBank, QuestionKind, QuizRole, QuizSettings, SkillTask
from lms.catalog.models import Course, ModuleKind
from lms.extensions import db

S, M, TF = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE

# Pre- and post-test share one bank, so the two scores compare the same knowledge.
CORE_BANK = ("Bank soal: pemasaran digital UMKM", [
    (S, "Apa tujuan utama katalog produk daring?", [
        ("Memudahkan pelanggan melihat produk dan harga", True),
        ("Mengganti semua penjualan luring", False),
        ("Menghindari pajak usaha", False),
        ("Menyimpan data pribadi pelanggan", False)],
     "Katalog membantu pelanggan memilih produk dengan cepat."),
    (M, "Mana saja yang termasuk ciri pelanggan yang perlu Anda kenali?", [
        ("Usia", True), ("Kebiasaan belanja", True), ("Media sosial yang dipakai", True),
        ("Nomor rekening bank", False)],
     "Data rekening bukan ciri pelanggan untuk pemasaran."),
    (TF, "Iklan di media sosial dapat ditargetkan ke kelompok usia tertentu.", [
        ("Benar", True), ("Salah", False)], ""),
    (S, "Foto produk yang baik untuk katalog adalah…", [
        ("Terang, jelas, dengan latar polos", True),
        ("Gelap agar terlihat eksklusif", False),
        ("Diambil dari situs pesaing", False)], ""),
    (TF, "Harga tidak perlu dicantumkan di katalog daring.", [
        ("Benar", False), ("Salah", True)],
     "Harga yang jelas membuat pelanggan lebih yakin membeli."),
])
QUIZ_BANK = ("Kuis modul: katalog dan pelanggan", [
    (S, "Berapa ciri pelanggan utama yang diminta untuk Anda tuliskan di bacaan?", [
        ("Satu", False), ("Tiga", True), ("Sepuluh", False)], ""),
    (TF, "Katalog produk sebaiknya diperbarui ketika harga berubah.", [
        ("Benar", True), ("Salah", False)], ""),
    (M, "Informasi apa yang sebaiknya ada di setiap produk dalam katalog?", [
        ("Nama produk", True), ("Harga", True), ("Alamat rumah pemilik", False)], ""),
])
SKILL_TASK = (
    "<p>Buat <strong>rencana pemasaran digital satu halaman</strong> untuk usaha Anda: "
    "tiga ciri pelanggan utama, tiga produk untuk katalog (dengan foto dan harga), dan satu "
    "contoh iklan media sosial.</p><p>Unggah sebagai PDF, DOCX atau foto (JPG/PNG), atau "
    "kirim tautan ke dokumen daring Anda.</p><p><em>Make a one-page digital marketing plan "
    "for your business and upload it, or send a link.</em></p>"
)


def _bank(course: Course, spec: tuple[str, list]) -> QuestionBank:
    title, questions = spec
    bank = db.session.scalar(select(QuestionBank).where(QuestionBank.course_id == course.id,
                                                        QuestionBank.title == title))
    if bank is None:
        bank = authoring.create_bank(None, course, title)
        for kind, text, options, explanation in questions:
            authoring.add_question(None, bank, kind, text, options, explanation)
    return bank


def seed_assessments(course: Course) -> None:
    """Give the newest version's quiz modules (first: pre-test, last: post-test, others:
    module quizzes) their banks and settings, and its assignment modules their instructions.
    Flushes; the command commits."""
    modules = course.versions[-1].modules
    quizzes = [m for m in modules if m.kind == ModuleKind.QUIZ]
    core, quiz_bank = _bank(course, CORE_BANK), _bank(course, QUIZ_BANK)
    for index, module in enumerate(quizzes):
        if db.session.scalar(select(QuizSettings.id).where(QuizSettings.module_id == module.id)):
            continue
        if index == 0:
            authoring.configure_quiz(None, module, core, role=QuizRole.PRETEST, pass_percent=None,
                                     attempts_allowed=1, time_limit_seconds=600)
        elif index == len(quizzes) - 1:
            authoring.configure_quiz(None, module, core, role=QuizRole.POSTTEST, pass_percent=70,
                                     attempts_allowed=3, time_limit_seconds=900)
        else:
            authoring.configure_quiz(None, module, quiz_bank, role=QuizRole.QUIZ, pass_percent=60,
                                     attempts_allowed=3, time_limit_seconds=300,
                                     show_answers_after_last=True)
    for module in modules:
        if module.kind == ModuleKind.ASSIGNMENT and not db.session.scalar(
                select(SkillTask.id).where(SkillTask.module_id == module.id)):
            authoring.configure_skill_task(None, module, SKILL_TASK,
                                           accepted_kinds=("pdf", "docx", "jpg", "png"))
