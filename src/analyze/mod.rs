//! Analysis: cells, intervals, regression, trends. OWNER: analysis helper.
