"""Course ratings and reviews a learner writes after completing a course."""
