"""The meetings pages, one module per part: browse, record, attendance, sign_in, minutes, documents, group_meeting."""
