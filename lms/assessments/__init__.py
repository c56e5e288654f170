"""Assessments: pre-test, module quizzes and post-test graded on the server, and the skill task
("unjuk keterampilan") that provider staff grade with written feedback."""
