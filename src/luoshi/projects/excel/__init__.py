"""Excel in and out for key projects: ``reader`` (calamine, header detection), ``layout``
(the county tables' header texts, section and total rows), ``writer`` (xlsxwriter export)."""
