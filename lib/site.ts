export const site = {
  name: "Seedance Studio",
  description: "Make short video clips with ByteDance's Seedance models: text or first and last frames to video.",
};
