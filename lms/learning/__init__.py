"""The learner's path: enrollments, redeem codes, progression through a course, completion."""
