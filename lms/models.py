"""Every domain's models, imported together so the metadata Alembic compares is complete."""
from lms.accounts import models as accounts  # noqa: F401
from lms.admin import models as admin  # noqa: F401
from lms.assessments import models as assessments  # noqa: F401
from lms.catalog import models as catalog  # noqa: F401
from lms.certificates import models as certificates  # noqa: F401
from lms.incentives import models as incentives  # noqa: F401
from lms.learning import models as learning  # noqa: F401
from lms.media import models as media  # noqa: F401
from lms.outbox import models as outbox  # noqa: F401
from lms.pacing import models as pacing  # noqa: F401
from lms.preferences import models as preferences  # noqa: F401
from lms.programme import models as programme  # noqa: F401
from lms.reviews import models as reviews  # noqa: F401
from lms.verification import models as verification  # noqa: F401
