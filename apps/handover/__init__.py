"""The handover package (hồ sơ bàn giao) of a dissolved CĐCS or an ended federation: a workbook and a record to sign."""
