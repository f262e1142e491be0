from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "concejo.notifications"
    label = "notifications"
    verbose_name = "Notificaciones electrónicas"

    def ready(self):
        from concejo.notifications import notices, proofs, services
        from concejo.outbox.handlers import register, register_batch, register_sweep
        from concejo.verification.renderers import register as register_renderer

        register_batch("notifications.notice", notices.deliver_notices)
        register("notifications.proof", proofs.proof_task)
        register_sweep("notifications.rejections", services.notifications_sweep)
        register_renderer("notifications.proof", proofs.render_proof)
        register_renderer("notifications.paper", proofs.render_paper)
