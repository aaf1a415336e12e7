"""Hours: bank-holiday calendars and service-line schedules evaluated by opening-hours-py."""
