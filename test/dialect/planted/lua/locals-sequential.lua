-- expect: none
-- 60 locals, but in two sequential blocks of 30: never more than 31 active at once.
local total = 0
do
  local b1v1 = 1
  local b1v2 = 2
  local b1v3 = 3
  local b1v4 = 4
  local b1v5 = 5
  local b1v6 = 6
  local b1v7 = 7
  local b1v8 = 8
  local b1v9 = 9
  local b1v10 = 10
  local b1v11 = 11
  local b1v12 = 12
  local b1v13 = 13
  local b1v14 = 14
  local b1v15 = 15
  local b1v16 = 16
  local b1v17 = 17
  local b1v18 = 18
  local b1v19 = 19
  local b1v20 = 20
  local b1v21 = 21
  local b1v22 = 22
  local b1v23 = 23
  local b1v24 = 24
  local b1v25 = 25
  local b1v26 = 26
  local b1v27 = 27
  local b1v28 = 28
  local b1v29 = 29
  local b1v30 = 30
  total = total + b1v1
end
do
  local b2v1 = 1
  local b2v2 = 2
  local b2v3 = 3
  local b2v4 = 4
  local b2v5 = 5
  local b2v6 = 6
  local b2v7 = 7
  local b2v8 = 8
  local b2v9 = 9
  local b2v10 = 10
  local b2v11 = 11
  local b2v12 = 12
  local b2v13 = 13
  local b2v14 = 14
  local b2v15 = 15
  local b2v16 = 16
  local b2v17 = 17
  local b2v18 = 18
  local b2v19 = 19
  local b2v20 = 20
  local b2v21 = 21
  local b2v22 = 22
  local b2v23 = 23
  local b2v24 = 24
  local b2v25 = 25
  local b2v26 = 26
  local b2v27 = 27
  local b2v28 = 28
  local b2v29 = 29
  local b2v30 = 30
  total = total + b2v1
end
return total
