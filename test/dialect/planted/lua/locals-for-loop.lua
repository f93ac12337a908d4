-- expect: max-locals "function at line 3 has 51 locals active at once (`i`"
-- 47 locals plus a numeric for: its hidden (for index)/(for limit)/(for step) and `i` make 51.
local function f()
  local v1 = 1
  local v2 = 2
  local v3 = 3
  local v4 = 4
  local v5 = 5
  local v6 = 6
  local v7 = 7
  local v8 = 8
  local v9 = 9
  local v10 = 10
  local v11 = 11
  local v12 = 12
  local v13 = 13
  local v14 = 14
  local v15 = 15
  local v16 = 16
  local v17 = 17
  local v18 = 18
  local v19 = 19
  local v20 = 20
  local v21 = 21
  local v22 = 22
  local v23 = 23
  local v24 = 24
  local v25 = 25
  local v26 = 26
  local v27 = 27
  local v28 = 28
  local v29 = 29
  local v30 = 30
  local v31 = 31
  local v32 = 32
  local v33 = 33
  local v34 = 34
  local v35 = 35
  local v36 = 36
  local v37 = 37
  local v38 = 38
  local v39 = 39
  local v40 = 40
  local v41 = 41
  local v42 = 42
  local v43 = 43
  local v44 = 44
  local v45 = 45
  local v46 = 46
  local v47 = 47
  for i = 1, 2 do v1 = v1 + i end
  return v1 + v47
end
return f()
