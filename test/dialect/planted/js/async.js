// expect: async x2
async function f(t){return await t}exports.f=f;
