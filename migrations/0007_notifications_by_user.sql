-- GET /notifications is polled every 10 s: a user's notifications, newest (highest id) first, straight from the
-- index instead of a scan of every user's rows.
CREATE INDEX IDX_notifications_notifiable_id ON notifications (notifiable_id, id);
