"""Evidence: recorded incidents judged against cover, as data.

`incidents` streams CSV exports (and the `log` store) into compact columns, rejecting
rows it cannot read exactly; `judge` answers each incident with the cover timelines
`who` reads and adds the answers up per issue type, area and agency. Nothing here prints.
"""
