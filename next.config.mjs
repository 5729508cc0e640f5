/** @type {import('next').NextConfig} */
const nextConfig = {
  // ffmpeg/ffprobe installers locate their binaries with a dynamic require that bundlers cannot follow.
  serverExternalPackages: ["@ffmpeg-installer/ffmpeg", "@ffprobe-installer/ffprobe", "@electric-sql/pglite", "pg", "pino"],
  poweredByHeader: false,
  // Parallel builds (a second checkout's tests, benchmarks) can use their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
