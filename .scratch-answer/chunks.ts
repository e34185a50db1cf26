import { scratchIndex } from "./index.ts";
const index = await scratchIndex();
for (const c of index.core.chunks.filter((c) => c.headingPath.some((h) => h.includes(process.argv[2])))) console.log(JSON.stringify({ h: c.headingPath.slice(1), part: c.part, item: c.itemNo, len: c.text.length, text: c.text.slice(0, 60) + "…" + c.text.slice(-40) }));
