"""Places: postcodes to the councils that hold the remit, from the ONS Postcode Directory.

`onspd` reads ONSPD as ONS publishes it into a local SQLite file (`store`); `lookup`
answers a postcode with one indexed query (sqlite3 only, for the lookup path).
"""
