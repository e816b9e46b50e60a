"""In-app notifications and their mails (shared infrastructure: any domain may notify; this
package imports no domain). See :func:`notify`."""

from service.notifications.kinds import NotificationKind, render
from service.notifications.service import MAIL_INFO_KEY, NotificationService, mail_address, notify

__all__ = ["MAIL_INFO_KEY", "NotificationKind", "NotificationService", "mail_address", "notify", "render"]
