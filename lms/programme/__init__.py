"""The programme connector: who issues redeem codes, who verifies daily attendance, and where
post-test results and skill tasks are reported. `builtin` is Alur on its own; `prakerja`
talks to the Kartu Prakerja integration API (see docs/programme.md)."""
