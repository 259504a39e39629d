"""Every write of the content app. Each function is one transaction; see the modules:

- ``authoring``: courses, lessons, quizzes, co-authors, review, publishing;
- ``learning``: enrolment, lesson progress, quiz attempts, completion;
- ``feedback``: reactions, questions and answers, ratings;
- ``requests``: content requests and the training-needs backlog;
- ``health``: freshness of the library and the nightly scan.
"""

from ecotone.content.services import authoring, feedback, health, learning, requests

__all__ = ["authoring", "feedback", "health", "learning", "requests"]
